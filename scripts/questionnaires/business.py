"""The business questionnaire: how permits, public services, connectivity, logistics, construction and
environmental services work for companies. Ratings are mapped to the 2019 standard's areas."""
from __future__ import annotations

from common import (OPTIONAL_TEXT_HINT, RATING_CHOICES, TOO_LONG, YES_NO_CHOICES, Item, choose, city_choices, group,
                    note, rating, tr, used, yes_no)

from smartcity_survey import questionnaire_spec as spec

SLUG = "business"
TITLE = tr("Digital city services for business", "Цифровые услуги города для бизнеса",
           "Бизнеске арналған қаланың цифрлық қызметтері")

INTRO = note("intro", tr(
    "This survey asks how the digital services of your city work for your business: online permits, public "
    "services, internet, transport and more. It takes about 10 minutes. Rate each service from 1 (very poor) to "
    "5 (very good), or choose \"Don't know\" if your business has not used it. Answers are published only as "
    "totals for the city.",
    "Этот опрос о том, как цифровые услуги вашего города работают для вашего бизнеса: онлайн-разрешения, "
    "госуслуги, интернет, транспорт и другое. Он займёт около 10 минут. Оцените каждую услугу от 1 (очень плохо) "
    "до 5 (очень хорошо) или выберите «Не знаю», если ваш бизнес ею не пользовался. Ответы публикуются только в "
    "виде итогов по городу.",
    "Бұл сауалнама қалаңыздың цифрлық қызметтері бизнесіңіз үшін қалай жұмыс істейтіні туралы: онлайн "
    "рұқсаттар, мемлекеттік қызметтер, интернет, көлік және басқалар. Ол шамамен 10 минут алады. Әр қызметті "
    "1-ден (өте нашар) 5-ке (өте жақсы) дейін бағалаңыз немесе бизнесіңіз оны пайдаланбаған болса, «Білмеймін» "
    "деп таңдаңыз. Жауаптар тек қала бойынша жалпы нәтиже түрінде жарияланады."))

ABOUT_BUSINESS = group(
    "about_business", tr("About your business", "О вашем бизнесе", "Бизнесіңіз туралы"),
    choose("business_city", "cities", tr("In which city does your business work?", "В каком городе работает ваш "
                                         "бизнес?", "Бизнесіңіз қай қалада жұмыс істейді?")),
    choose("sector", "sectors", tr("What is your business's main activity?",
                                   "Каков основной вид деятельности вашего бизнеса?",
                                   "Бизнесіңіздің негізгі қызмет түрі қандай?")),
    choose("size_band", "size_bands", tr("How many people work in your business, including you?",
                                         "Сколько человек работает в вашем бизнесе, включая вас?",
                                         "Бизнесіңізде өзіңізді қоса алғанда қанша адам жұмыс істейді?")),
    Item("bin", spec.TEXT, tr("Business identification number (BIN)", "Бизнес-идентификационный номер (БИН)",
                              "Бизнес-сәйкестендіру нөмірі (БСН)"),
         required=False, constraint="bin-checksum(.)", hints=tr(
             "Optional. 12 digits. It only lets us make sure a company is counted once; it is never published. "
             "Individual entrepreneurs: please leave it empty, as your BIN is your personal IIN.",
             "Необязательно. 12 цифр. Он нужен только для того, чтобы не учитывать одну компанию дважды, и никогда "
             "не публикуется. Индивидуальные предприниматели: пожалуйста, оставьте поле пустым — ваш БИН совпадает "
             "с личным ИИН.",
             "Міндетті емес. 12 цифр. Ол бір компанияны екі рет есептемеу үшін ғана қажет және ешқашан "
             "жарияланбайды. Жеке кәсіпкерлер: бұл өрісті бос қалдырыңыз, себебі сіздің БСН жеке ЖСН-іңізбен "
             "бірдей."),
         constraint_message=tr(
             "This is not a valid BIN: it has 12 digits, the last of which is a check digit.",
             "Это не действительный БИН: он состоит из 12 цифр, последняя из которых контрольная.",
             "Бұл жарамды БСН емес: ол 12 цифрдан тұрады, соңғысы — бақылау цифры.")),
)

BUSINESS_TOURISM = group(
    "business_tourism", tr("Business and tourism", "Бизнес и туризм", "Бизнес және туризм"),
    rating("btd_payments", tr("How easy is it for your business to accept card, QR and phone payments?",
                              "Насколько легко вашему бизнесу принимать оплату картой, по QR-коду и с телефона?",
                              "Бизнесіңізге картамен, QR-кодпен және телефонмен төлем қабылдау қаншалықты оңай?"),
           "btd", "btd_e_payment_platforms"),
    rating("btd_support", tr(
        "How easy is it to find information online about support for business and investors in your city "
        "(programmes, land, contacts)?",
        "Насколько легко найти онлайн информацию о поддержке бизнеса и инвесторов в вашем городе (программы, "
        "земля, контакты)?",
        "Қалаңыздағы бизнес пен инвесторларды қолдау туралы ақпаратты (бағдарламалар, жер, байланыстар) онлайн "
        "табу қаншалықты оңай?"), "btd", "btd_investor_portal"),
    rating("btd_tourism", tr(
        "How well do the city's tourism websites and apps bring visitors to businesses like yours?",
        "Насколько туристические сайты и приложения города помогают привлекать посетителей в такие бизнесы, как "
        "ваш?",
        "Қаланың туристік сайттары мен қосымшалары сіздікі сияқты бизнеске келушілерді тартуға қаншалықты "
        "көмектеседі?"), "btd", "btd_tourism_portal", "${sector} = 'hospitality'"),
)

PUBLIC_SERVICES = group(
    "public_services", tr("Permits and public services", "Разрешения и госуслуги",
                          "Рұқсаттар және мемлекеттік қызметтер"),
    yes_no("ctm_services_used", tr(
        "In the last 12 months, has your business applied online for a permit, licence or public service "
        "(eGov, elicense.kz)?",
        "За последние 12 месяцев ваш бизнес подавал онлайн заявку на разрешение, лицензию или госуслугу (eGov, "
        "elicense.kz)?",
        "Соңғы 12 айда бизнесіңіз рұқсатқа, лицензияға немесе мемлекеттік қызметке онлайн өтініш берді ме (eGov, "
        "elicense.kz)?")),
    rating("ctm_services", tr(
        "How easy was it to get the permit, licence or service online, without visiting an office?",
        "Насколько легко было получить разрешение, лицензию или услугу онлайн, не приходя в ведомство?",
        "Рұқсатты, лицензияны немесе қызметті мекемеге бармай-ақ онлайн алу қаншалықты оңай болды?"),
        "ctm", "ctm_public_services_electronic", used("ctm_services_used")),
    rating("ctm_paperless", tr(
        "How well did the akimat handle it without paper copies and repeated visits?",
        "Насколько акимат обошёлся без бумажных копий и повторных визитов?",
        "Әкімдік қағаз көшірмелерсіз және қайта бармай-ақ қаншалықты жақсы рәсімдеді?"),
        "ctm", "ctm_akimat_services_automated", used("ctm_services_used")),
    rating("ctm_appeals", tr(
        "How quickly and clearly does the akimat answer your business's online requests and complaints?",
        "Насколько быстро и понятно акимат отвечает на онлайн-обращения и жалобы вашего бизнеса?",
        "Әкімдік бизнесіңіздің онлайн өтініштері мен шағымдарына қаншалықты жылдам әрі түсінікті жауап "
        "береді?"), "ctm", "ctm_appeal_response_days"),
)

CONNECTIVITY = group(
    "connectivity", tr("Internet and data", "Интернет и данные", "Интернет және деректер"),
    rating("ict_office", tr("How good and reliable is the internet connection at your business premises?",
                            "Насколько хорош и надёжен интернет в помещениях вашего бизнеса?",
                            "Бизнесіңіздің үй-жайындағы интернет қаншалықты сапалы әрі сенімді?"),
           "ict", "ict_broadband_speed"),
    rating("ict_mobile", tr("How good is mobile internet (4G) where your business works?",
                            "Насколько хорош мобильный интернет (4G) там, где работает ваш бизнес?",
                            "Бизнесіңіз жұмыс істейтін жерде мобильді интернет (4G) қаншалықты сапалы?"),
           "ict", "ict_4g_coverage"),
    rating("ict_data", tr(
        "How useful is the data the city publishes online (open data, maps, statistics) for your business?",
        "Насколько полезны для вашего бизнеса данные, которые город публикует онлайн (открытые данные, карты, "
        "статистика)?",
        "Қала интернетте жариялайтын деректер (ашық деректер, карталар, статистика) бизнесіңіз үшін қаншалықты "
        "пайдалы?"), "ict", "ict_open_data"),
)

LOGISTICS = group(
    "logistics", tr("Transport and logistics", "Транспорт и логистика", "Көлік және логистика"),
    rating("its_logistics", tr(
        "How well do roads and traffic management in the city work for your deliveries and trips?",
        "Насколько хорошо дороги и управление движением в городе работают для ваших доставок и поездок?",
        "Қаладағы жолдар мен қозғалысты басқару жеткізу мен сапарларыңыз үшін қаншалықты жақсы жұмыс істейді?"),
        "its", "its_intelligent_transport_system"),
    rating("its_access", tr(
        "How easy is it for your staff and customers to reach you by public transport, with routes and arrival "
        "times online?",
        "Насколько легко вашим сотрудникам и клиентам добираться до вас на общественном транспорте, зная маршруты "
        "и время прибытия онлайн?",
        "Қызметкерлеріңіз бен клиенттеріңізге бағыттар мен келу уақытын онлайн біле отырып, сізге қоғамдық "
        "көлікпен жету қаншалықты оңай?"), "its", "its_bus_realtime_tracking"),
)

CONSTRUCTION = group(
    "construction", tr("Construction permits", "Разрешения на строительство", "Құрылысқа рұқсаттар"),
    yes_no("bld_permit_used", tr(
        "In the last 3 years, has your business applied for a construction permit or a land plot?",
        "За последние 3 года ваш бизнес подавал заявку на разрешение на строительство или на земельный участок?",
        "Соңғы 3 жылда бизнесіңіз құрылысқа рұқсат алуға немесе жер учаскесіне өтініш берді ме?")),
    rating("bld_permit", tr("How easy was it to apply for the permit and follow it online?",
                            "Насколько легко было подать заявку на разрешение и следить за ней онлайн?",
                            "Рұқсатқа өтінім беріп, оның барысын онлайн бақылау қаншалықты оңай болды?"),
           "bld", "bld_e_construction_permits", used("bld_permit_used")),
    rating("bld_speed", tr("How satisfied are you with how long the permit took?",
                           "Насколько вас устроил срок получения разрешения?",
                           "Рұқсат алу мерзімі сізді қаншалықты қанағаттандырды?"),
           "bld", "bld_permit_days", used("bld_permit_used")),
    rating("bld_plans", tr(
        "How easy is it to find planning information online (zoning, free land plots, utility networks)?",
        "Насколько легко найти онлайн градостроительную информацию (зонирование, свободные участки, инженерные "
        "сети)?",
        "Қала құрылысы ақпаратын (аймақтарға бөлу, бос учаскелер, инженерлік желілер) онлайн табу қаншалықты "
        "оңай?"), "bld", "bld_urban_planning_cadastre_gis"),
)

ENVIRONMENT = group(
    "environment", tr("Environment", "Экология", "Экология"),
    rating("eco_waste", tr(
        "How well does waste collection work for your business (contract, schedule, requests online)?",
        "Насколько хорошо для вашего бизнеса работает вывоз отходов (договор, график, заявки онлайн)?",
        "Бизнесіңіз үшін қалдықтарды шығару қаншалықты жақсы жұмыс істейді (шарт, кесте, онлайн өтінімдер)?"),
        "eco", "eco_waste_trucks_gps"),
    rating("eco_permits", tr("How easy is it to handle environmental permits and reports online?",
                             "Насколько легко оформлять экологические разрешения и отчёты онлайн?",
                             "Экологиялық рұқсаттар мен есептерді онлайн рәсімдеу қаншалықты оңай?"), "eco"),
)

YOUR_SAY = group(
    "your_say", tr("Your suggestion", "Ваше предложение", "Сіздің ұсынысыңыз"),
    Item("suggestion", spec.LONG_TEXT, tr(
        "What one change would make the city's digital services work better for your business?",
        "Какое изменение в первую очередь улучшило бы цифровые услуги города для вашего бизнеса?",
        "Қаланың цифрлық қызметтері бизнесіңіз үшін жақсы жұмыс істеуі үшін ең алдымен не өзгерту керек?"),
        required=False, hints=OPTIONAL_TEXT_HINT, appearance="multiline", constraint="string-length(.) <= 1000",
        constraint_message=TOO_LONG),
)

ITEMS = [INTRO, ABOUT_BUSINESS, BUSINESS_TOURISM, PUBLIC_SERVICES, CONNECTIVITY, LOGISTICS, CONSTRUCTION,
         ENVIRONMENT, YOUR_SAY]

CHOICES = {
    "rating5": RATING_CHOICES,
    "yes_no": YES_NO_CHOICES,
    "cities": city_choices(),
    "sectors": [
        ("trade", tr("Retail or wholesale trade", "Розничная или оптовая торговля", "Бөлшек немесе көтерме сауда")),
        ("manufacturing", tr("Manufacturing", "Производство", "Өндіріс")),
        ("construction", tr("Construction and real estate", "Строительство и недвижимость",
                            "Құрылыс және жылжымайтын мүлік")),
        ("transport", tr("Transport and logistics", "Транспорт и логистика", "Көлік және логистика")),
        ("hospitality", tr("Hotels, restaurants and tourism", "Гостиницы, рестораны и туризм",
                           "Қонақүйлер, мейрамханалар және туризм")),
        ("agriculture", tr("Agriculture and food processing", "Сельское хозяйство и переработка",
                           "Ауыл шаруашылығы және өнім өңдеу")),
        ("ict", tr("IT and communications", "IT и связь", "IT және байланыс")),
        ("services", tr("Other services (repairs, beauty, education, health)",
                        "Другие услуги (ремонт, красота, образование, здоровье)",
                        "Басқа қызметтер (жөндеу, сұлулық, білім, денсаулық)")),
        ("other", tr("Other", "Другое", "Басқа")),
    ],
    "size_bands": [
        ("solo", tr("Just me", "Только я", "Тек өзім")), ("micro", tr("2–15", "2–15", "2–15")),
        ("small", tr("16–100", "16–100", "16–100")), ("medium", tr("101–250", "101–250", "101–250")),
        ("large", tr("More than 250", "Более 250", "250-ден астам")),
    ],
}
