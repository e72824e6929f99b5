"""Admin user management: list, create, deactivate / reactivate, reset passwords; every action logged."""
from smartcity_survey.extensions import db
from smartcity_survey.models import AdminAction, User
from tests.helpers_assessments import signed_in
from tests.helpers_auth import PASSWORD, login

NEW_PASSWORD = "another long secret"


def user(email: str) -> User:
    db.session.expire_all()
    return db.session.scalar(db.select(User).where(User.email == email))


def actions() -> list[tuple[str, str | None]]:
    return [(a.action, a.target_user.email if a.target_user else None)
            for a in db.session.scalars(db.select(AdminAction).order_by(AdminAction.id))]


def test_the_list_shows_every_account_with_role_and_city(app, people):
    """Admins see every account, its role, city and state."""
    page = signed_in(app, people["admin"]).get("/admin/users").get_data(as_text=True)
    for email in people.values():
        assert email in page
    assert "Akimat officer" in page and "Ministry analyst" in page and "Almaty" in page


def test_admin_creates_an_officer_bound_to_a_city(app, people):
    """A new officer gets the chosen city, an scrypt password, and an entry in the admin log."""
    admin = signed_in(app, people["admin"])
    response = admin.post("/admin/users/new", data={"email": "New@Shymkent.kz", "role": "akimat", "city": "shymkent",
                                                    "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    created = user("new@shymkent.kz")
    assert created.city.slug == "shymkent" and created.password_hash.startswith("scrypt:")
    assert actions() == [("user_create", "new@shymkent.kz")]
    assert login(app.test_client(), "new@shymkent.kz", NEW_PASSWORD).status_code == 302


def test_bad_accounts_are_refused_with_a_message(app, people):
    """An officer without a city, an analyst with one, a duplicate or a short password: 422, nothing created."""
    admin = signed_in(app, people["admin"])
    cases = [({"role": "akimat", "city": ""}, "needs a city"),
             ({"role": "analyst", "city": "almaty"}, "only akimat officers"),
             ({"email": people["analyst"], "role": "analyst", "city": ""}, "already exists"),
             ({"role": "analyst", "city": "", "password": "short", "confirm": "short"}, "At least 10 characters."),
             ({"role": "analyst", "city": "", "confirm": "different secret!"}, "The two passwords differ.")]
    for fields, message in cases:
        data = {"email": "x@gov.kz", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD} | fields
        response = admin.post("/admin/users/new", data=data)
        assert response.status_code == 422 and message in response.get_data(as_text=True), message
    assert user("x@gov.kz") is None and actions() == []


def test_deactivation_signs_the_user_out_and_blocks_sign_in(app, people):
    """A deactivated account loses its open session at once and cannot sign in; reactivation restores it."""
    officer = signed_in(app, people["officer_b"])
    admin = signed_in(app, people["admin"])
    target = user(people["officer_b"]).id
    assert admin.post(f"/admin/users/{target}/deactivate").status_code == 302
    assert officer.get("/assessments/").status_code == 302  # back to sign-in
    assert login(app.test_client(), people["officer_b"]).status_code == 200
    admin.post(f"/admin/users/{target}/reactivate")
    assert login(app.test_client(), people["officer_b"]).status_code == 302
    assert actions() == [("user_deactivate", people["officer_b"]), ("user_reactivate", people["officer_b"])]


def test_an_admin_cannot_deactivate_themself(app, people):
    """Deactivating one's own account is refused, so the last admin cannot lock everyone out."""
    admin = signed_in(app, people["admin"])
    response = admin.post(f"/admin/users/{user(people['admin']).id}/deactivate")
    assert "You cannot deactivate your own account." in admin.get(response.location).get_data(as_text=True)
    assert user(people["admin"]).active and actions() == []


def test_password_reset_rotates_the_session_and_lifts_a_lock(app, people):
    """After a reset the old password and old sessions stop working; a lockout is cleared."""
    officer = signed_in(app, people["officer_a"])
    for _ in range(app.config["LOGIN_LOCKOUT_AFTER"]):
        login(app.test_client(), people["officer_a"], "wrong password!")
    assert user(people["officer_a"]).locked_until is not None
    admin = signed_in(app, people["admin"])
    target = user(people["officer_a"]).id
    assert admin.get(f"/admin/users/{target}/password").status_code == 200
    response = admin.post(f"/admin/users/{target}/password", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert officer.get("/assessments/").status_code == 302 and "/login" in officer.get("/assessments/").location
    assert login(app.test_client(), people["officer_a"], PASSWORD).status_code == 200
    assert login(app.test_client(), people["officer_a"], NEW_PASSWORD).status_code == 302
    assert actions() == [("user_password_reset", people["officer_a"])]


def test_resetting_ones_own_password_keeps_one_signed_in(app, people):
    """An admin resetting their own password stays signed in here."""
    admin = signed_in(app, people["admin"])
    me = user(people["admin"]).id
    admin.post(f"/admin/users/{me}/password", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert admin.get("/admin/users").status_code == 200


def test_the_admin_log_lists_actions_newest_first(app, people):
    """The log page shows each action with its administrator and account."""
    admin = signed_in(app, people["admin"])
    admin.post(f"/admin/users/{user(people['officer_b']).id}/deactivate")
    admin.post(f"/admin/users/{user(people['analyst']).id}/deactivate")
    page = admin.get("/admin/audit").get_data(as_text=True)
    table = page.split("<tbody>", 1)[1]
    assert table.index(people["analyst"]) < table.index(people["officer_b"])
    assert "account deactivated" in page and people["admin"] in page


def test_unknown_user_ids_are_404(app, people):
    """Acting on an account that does not exist answers 404."""
    admin = signed_in(app, people["admin"])
    assert admin.post("/admin/users/9999/deactivate").status_code == 404
    assert admin.get("/admin/users/9999/password").status_code == 404
