"""The residents' questionnaire: how the digital services the indicators claim work for the people who
use them. Ratings are mapped to the 2019 standard's areas and, where one fits, to one indicator."""
from __future__ import annotations

from common import (OPTIONAL_TEXT_HINT, RATING_CHOICES, TOO_LONG, YES_NO_CHOICES, Item, choose, city_choices, group,
                    note, rating, tr, used, yes_no)

from smartcity_survey import questionnaire_spec as spec

SLUG = "resident"
TITLE = tr("How your city's digital services work for you", "Как для вас работают цифровые услуги города",
           "Қаланың цифрлық қызметтері сізге қалай қызмет етеді")

AREAS = {
    "ctm": tr("City administration and public services", "Городское управление и госуслуги",
              "Қаланы басқару және мемлекеттік қызметтер"),
    "hlt": tr("Health care", "Здравоохранение", "Денсаулық сақтау"),
    "edu": tr("Schools and kindergartens", "Школы и детские сады", "Мектептер мен балабақшалар"),
    "scy": tr("Safety", "Безопасность", "Қауіпсіздік"),
    "hcs": tr("Housing and utilities", "Жильё и коммунальные услуги", "Тұрғын үй және коммуналдық қызметтер"),
    "its": tr("Transport", "Транспорт", "Көлік"),
    "soc": tr("Social support, culture and sport", "Социальная поддержка, культура и спорт",
              "Әлеуметтік қолдау, мәдениет және спорт"),
    "eco": tr("Environment", "Экология", "Экология"),
    "btd": tr("Shopping, business and tourism", "Торговля, бизнес и туризм", "Сауда, бизнес және туризм"),
    "bld": tr("Construction and city planning", "Строительство и градостроительство", "Құрылыс және қала құрылысы"),
    "agr": tr("Agriculture", "Сельское хозяйство", "Ауыл шаруашылығы"),
    "ict": tr("Internet and mobile connection", "Интернет и мобильная связь", "Интернет және ұялы байланыс"),
}

INTRO = note("intro", tr(
    "This survey asks how the digital services of your city work for you: online doctor's appointments, "
    "e-diaries, bus apps, utility payments and more. It takes about 10 minutes. It is anonymous: we never ask "
    "for your name, phone number or ID number. Rate each service from 1 (very poor) to 5 (very good), or "
    "choose \"Don't know\" if you have not used it.",
    "Этот опрос о том, как работают для вас цифровые услуги вашего города: онлайн-запись к врачу, электронный "
    "дневник, приложения для автобусов, оплата коммунальных услуг и другое. Он займёт около 10 минут. Опрос "
    "анонимный: мы не спрашиваем ваше имя, телефон или ИИН. Оцените каждую услугу от 1 (очень плохо) до 5 "
    "(очень хорошо) или выберите «Не знаю», если вы ею не пользовались.",
    "Бұл сауалнама қалаңыздың цифрлық қызметтері сізге қалай жұмыс істейтіні туралы: дәрігерге онлайн жазылу, "
    "электрондық күнделік, автобус қосымшалары, коммуналдық төлемдер және басқалар. Ол шамамен 10 минут алады. "
    "Сауалнама жасырын: біз сіздің атыңызды, телефон нөміріңізді немесе ЖСН-іңізді сұрамаймыз. Әр қызметті "
    "1-ден (өте нашар) 5-ке (өте жақсы) дейін бағалаңыз немесе оны пайдаланбаған болсаңыз, «Білмеймін» деп "
    "таңдаңыз."))

CITY_ADMINISTRATION = group(
    "city_administration", AREAS["ctm"],
    yes_no("ctm_egov_used", tr(
        "In the last 12 months, have you received a public service online (eGov.kz, the eGov mobile app or the "
        "akimat's website)?",
        "За последние 12 месяцев вы получали государственную услугу онлайн (eGov.kz, мобильное приложение eGov "
        "или сайт акимата)?",
        "Соңғы 12 айда мемлекеттік қызметті онлайн алдыңыз ба (eGov.kz, eGov мобильді қосымшасы немесе әкімдік "
        "сайты)?")),
    rating("ctm_egov", tr("How easy was it to get the service online, without visiting an office?",
                          "Насколько легко было получить услугу онлайн, не приходя в ведомство?",
                          "Қызметті мекемеге бармай-ақ онлайн алу қаншалықты оңай болды?"),
           "ctm", "ctm_public_services_electronic", used("ctm_egov_used")),
    yes_no("ctm_109_used", tr(
        "In the last 12 months, have you contacted the 109 hotline or the akimat's online reception with a "
        "question or complaint?",
        "За последние 12 месяцев вы обращались в единый контакт-центр 109 или в онлайн-приёмную акимата с "
        "вопросом или жалобой?",
        "Соңғы 12 айда сұрақпен немесе шағыммен 109 бірыңғай байланыс орталығына немесе әкімдіктің онлайн "
        "қабылдау бөлмесіне жүгіндіңіз бе?")),
    rating("ctm_109", tr(
        "How well was your request handled (a clear answer, the problem solved, kept informed)?",
        "Насколько хорошо было рассмотрено ваше обращение (понятный ответ, решение проблемы, информирование о "
        "ходе)?",
        "Өтінішіңіз қаншалықты жақсы қаралды (түсінікті жауап, мәселенің шешілуі, барысы туралы хабардар "
        "етілуі)?"), "ctm", "ctm_hotline_109", used("ctm_109_used")),
    yes_no("ctm_app_used", tr(
        "Do you use a mobile app of your city (for appeals, city news or services)?",
        "Пользуетесь ли вы мобильным приложением вашего города (для обращений, городских новостей или услуг)?",
        "Қалаңыздың мобильді қосымшасын пайдаланасыз ба (өтініштер, қала жаңалықтары немесе қызметтер үшін)?")),
    rating("ctm_app", tr("How useful is the city app for you?", "Насколько полезно для вас приложение города?",
                         "Қала қосымшасы сіз үшін қаншалықты пайдалы?"),
           "ctm", "ctm_city_mobile_app", used("ctm_app_used")),
    rating("ctm_info", tr(
        "How easy is it to find up-to-date information about the city and its services online?",
        "Насколько легко найти в интернете актуальную информацию о городе и его услугах?",
        "Қала және оның қызметтері туралы өзекті ақпаратты интернеттен табу қаншалықты оңай?"),
        "ctm", "ctm_official_portal"),
)

HEALTH = group(
    "health", AREAS["hlt"],
    yes_no("hlt_booking_used", tr(
        "In the last 12 months, have you booked a doctor's appointment online (app, website or eGov)?",
        "За последние 12 месяцев вы записывались к врачу онлайн (через приложение, сайт или eGov)?",
        "Соңғы 12 айда дәрігерге онлайн жазылдыңыз ба (қосымша, сайт немесе eGov арқылы)?")),
    rating("hlt_booking", tr("How well does booking a doctor's appointment online work?",
                             "Насколько хорошо работает онлайн-запись к врачу?",
                             "Дәрігерге онлайн жазылу қаншалықты жақсы жұмыс істейді?"),
           "hlt", "hlt_online_appointment", used("hlt_booking_used")),
    rating("hlt_records", tr(
        "How easy is it to see your medical records, test results or prescriptions online?",
        "Насколько легко посмотреть онлайн свою медицинскую карту, результаты анализов или рецепты?",
        "Медициналық картаңызды, талдау нәтижелерін немесе рецептерді онлайн көру қаншалықты оңай?"),
        "hlt", "hlt_e_health_passport"),
    rating("hlt_queue", tr("How well does the electronic queue at your clinic shorten the wait?",
                           "Насколько электронная очередь в вашей поликлинике сокращает ожидание?",
                           "Емханаңыздағы электрондық кезек күтуді қаншалықты қысқартады?"),
           "hlt", "hlt_clinic_wait_minutes"),
)

EDUCATION = group(
    "education", AREAS["edu"],
    yes_no("edu_children", tr(
        "Does your household have a child at school or in kindergarten, or waiting for a kindergarten place?",
        "Есть ли в вашей семье ребёнок, который учится в школе, ходит в детский сад или стоит в очереди в детский "
        "сад?",
        "Отбасыңызда мектепте оқитын, балабақшаға баратын немесе балабақша кезегінде тұрған бала бар ма?")),
    rating("edu_diary", tr(
        "How well does the electronic school diary work (marks, homework, messages from teachers)?",
        "Насколько хорошо работает электронный дневник (оценки, домашние задания, сообщения учителей)?",
        "Электрондық күнделік қаншалықты жақсы жұмыс істейді (бағалар, үй тапсырмалары, мұғалімдердің "
        "хабарламалары)?"), "edu", "edu_e_diary", used("edu_children")),
    rating("edu_queue", tr("How clear and fair is the electronic queue for kindergarten places?",
                           "Насколько понятна и справедлива электронная очередь в детские сады?",
                           "Балабақшаға электрондық кезек қаншалықты түсінікті әрі әділ?"),
           "edu", "edu_kindergarten_e_queue", used("edu_children")),
    rating("edu_admission", tr("How easy was it to enrol a child in school online?",
                               "Насколько легко было записать ребёнка в школу онлайн?",
                               "Баланы мектепке онлайн жазу қаншалықты оңай болды?"),
           "edu", "edu_online_school_admission", used("edu_children")),
)

SAFETY = group(
    "safety", AREAS["scy"],
    rating("scy_cameras", tr(
        "How much do video cameras in streets, parks and courtyards make you feel safer?",
        "Насколько видеокамеры на улицах, в парках и дворах помогают вам чувствовать себя в безопасности?",
        "Көшелердегі, саябақтардағы және аулалардағы бейнекамералар сізге қаншалықты қауіпсіздік сезімін "
        "береді?"), "scy", "scy_cctv_coverage"),
    yes_no("scy_emergency_used", tr(
        "In the last 12 months, have you called an emergency number (112, 101, 102 or 103)?",
        "За последние 12 месяцев вы звонили по номеру экстренной службы (112, 101, 102 или 103)?",
        "Соңғы 12 айда жедел қызмет нөміріне (112, 101, 102 немесе 103) қоңырау шалдыңыз ба?")),
    rating("scy_emergency", tr("How quickly and well did the emergency service respond?",
                               "Насколько быстро и хорошо отреагировала экстренная служба?",
                               "Жедел қызмет қаншалықты жылдам әрі сапалы әрекет етті?"),
           "scy", "scy_emergency_112", used("scy_emergency_used")),
    rating("scy_alerts", tr(
        "How well do warnings about emergencies (SMS, app notifications) reach you in time?",
        "Насколько своевременно до вас доходят предупреждения о чрезвычайных ситуациях (SMS, уведомления в "
        "приложениях)?",
        "Төтенше жағдайлар туралы ескертулер (SMS, қосымшадағы хабарламалар) сізге қаншалықты уақтылы жетеді?"),
        "scy", "scy_emergency_alerts"),
)

HOUSING = group(
    "housing", AREAS["hcs"],
    yes_no("hcs_pay_used", tr(
        "Do you pay utility bills online (a bank app, eGov or a utility's website)?",
        "Вы оплачиваете коммунальные услуги онлайн (через приложение банка, eGov или сайт поставщика)?",
        "Коммуналдық қызметтерге онлайн төлейсіз бе (банк қосымшасы, eGov немесе жеткізушінің сайты арқылы)?")),
    rating("hcs_pay", tr("How convenient is paying utility bills online?",
                         "Насколько удобно оплачивать коммунальные услуги онлайн?",
                         "Коммуналдық қызметтерге онлайн төлеу қаншалықты ыңғайлы?"),
           "hcs", "hcs_online_utility_payment", used("hcs_pay_used")),
    rating("hcs_repairs", tr(
        "When something breaks in your building (heating, water, lift), how easy is it to report it online and "
        "follow the repair?",
        "Когда в доме что-то ломается (отопление, вода, лифт), насколько легко сообщить об этом онлайн и следить "
        "за ремонтом?",
        "Үйде бірдеңе бұзылғанда (жылу, су, лифт), ол туралы онлайн хабарлап, жөндеу барысын бақылау "
        "қаншалықты оңай?"), "hcs", "hcs_utility_dispatch"),
    rating("hcs_meters", tr(
        "How well do your meter readings reach the utilities without home visits or paperwork?",
        "Насколько хорошо показания ваших счётчиков передаются поставщикам без визитов контролёров и бумаг?",
        "Есептегіштеріңіздің көрсеткіштері жеткізушілерге бақылаушының келуінсіз және қағазсыз қаншалықты жақсы "
        "жетеді?"), "hcs", "hcs_smart_meters"),
)

RIDES = "${its_use} != 'never'"
TRANSPORT = group(
    "transport", AREAS["its"],
    choose("its_use", "frequency", tr(
        "How often do you travel by bus or other public transport in your city?",
        "Как часто вы ездите на автобусе или другом общественном транспорте в своём городе?",
        "Қалаңызда автобуспен немесе басқа қоғамдық көлікпен қаншалықты жиі жүресіз?")),
    rating("its_tracking", tr(
        "How accurate are the apps and stop displays that show when the bus will arrive?",
        "Насколько точно приложения и табло на остановках показывают время прибытия автобуса?",
        "Қосымшалар мен аялдамадағы таблолар автобустың келу уақытын қаншалықты дәл көрсетеді?"),
        "its", "its_bus_realtime_tracking", RIDES),
    rating("its_fare", tr(
        "How convenient is paying the fare by bank card, QR code or transport card?",
        "Насколько удобно оплачивать проезд банковской картой, QR-кодом или транспортной картой?",
        "Жол ақысын банк картасымен, QR-кодпен немесе көлік картасымен төлеу қаншалықты ыңғайлы?"),
        "its", "its_e_ticketing", RIDES),
    rating("its_traffic", tr(
        "How well do traffic lights and traffic management keep traffic moving in your city?",
        "Насколько хорошо светофоры и управление дорожным движением помогают избегать пробок в вашем городе?",
        "Бағдаршамдар мен жол қозғалысын басқару қалаңызда кептелістің алдын алуға қаншалықты көмектеседі?"),
        "its", "its_adaptive_traffic_lights"),
)

SOCIAL = group(
    "social", AREAS["soc"],
    rating("soc_support", tr(
        "How easy is it to apply online for social support (benefits, allowances, help for people with "
        "disabilities)?",
        "Насколько легко подать онлайн заявку на социальную поддержку (пособия, выплаты, помощь людям с "
        "инвалидностью)?",
        "Әлеуметтік қолдауға (жәрдемақылар, төлемдер, мүгедектігі бар адамдарға көмек) онлайн өтініш беру "
        "қаншалықты оңай?"), "soc", "soc_e_social_services"),
    rating("soc_tickets", tr(
        "How easy is it to buy tickets online for theatres, museums and sports events, or to book a sports "
        "ground?",
        "Насколько легко купить онлайн билеты в театр, музей, на спортивные мероприятия или забронировать "
        "спортивную площадку?",
        "Театрға, мұражайға, спорттық іс-шараларға билетті онлайн сатып алу немесе спорт алаңын брондау "
        "қаншалықты оңай?"), "soc", "soc_online_culture_tickets"),
    rating("soc_jobs", tr(
        "How useful is the online labour exchange (enbek.kz) for finding a job or training?",
        "Насколько полезна электронная биржа труда (enbek.kz) для поиска работы или обучения?",
        "Электрондық еңбек биржасы (enbek.kz) жұмыс немесе оқу іздеу үшін қаншалықты пайдалы?"),
        "soc", "soc_e_labour_exchange"),
)

ENVIRONMENT = group(
    "environment", AREAS["eco"],
    yes_no("eco_air_used", tr(
        "Do you check air quality in your city online (a map, an app or a website)?",
        "Вы проверяете качество воздуха в своём городе онлайн (на карте, в приложении или на сайте)?",
        "Қалаңыздағы ауа сапасын онлайн тексересіз бе (карта, қосымша немесе сайт арқылы)?")),
    rating("eco_air", tr("How useful is the air-quality information you find online?",
                         "Насколько полезна информация о качестве воздуха, которую вы находите онлайн?",
                         "Интернеттен табатын ауа сапасы туралы ақпарат қаншалықты пайдалы?"),
           "eco", "eco_air_quality_map", used("eco_air_used")),
    rating("eco_waste", tr(
        "How well does waste collection work in your neighbourhood (on schedule, problems reported online)?",
        "Насколько хорошо работает вывоз мусора в вашем районе (по графику, о проблемах можно сообщить онлайн)?",
        "Ауданыңызда қоқыс шығару қаншалықты жақсы жұмыс істейді (кесте бойынша, мәселелер туралы онлайн "
        "хабарлауға болады)?"), "eco", "eco_waste_trucks_gps"),
)

BUSINESS = group(
    "business_tourism", AREAS["btd"],
    rating("btd_payments", tr(
        "How easy is it to pay by card or phone in shops, markets and cafés in your city?",
        "Насколько легко расплачиваться картой или телефоном в магазинах, на рынках и в кафе вашего города?",
        "Қалаңыздағы дүкендерде, базарларда және кафелерде картамен немесе телефонмен төлеу қаншалықты оңай?"),
        "btd", "btd_e_payment_platforms"),
    rating("btd_shopping", tr("How well do online shopping and delivery work in your city?",
                              "Насколько хорошо в вашем городе работают онлайн-покупки и доставка?",
                              "Қалаңызда онлайн сауда мен жеткізу қаншалықты жақсы жұмыс істейді?"),
           "btd", "btd_e_commerce"),
    rating("btd_tourism", tr(
        "How helpful are the city's websites and apps for finding places to visit, events and leisure?",
        "Насколько полезны сайты и приложения города для поиска интересных мест, мероприятий и отдыха?",
        "Қаланың сайттары мен қосымшалары көрікті жерлерді, іс-шараларды және демалыс орындарын табуға "
        "қаншалықты көмектеседі?"), "btd", "btd_tourism_portal"),
)

CONSTRUCTION = group(
    "construction", AREAS["bld"],
    rating("bld_plans", tr(
        "How easy is it to find the city's plans online (new buildings, roads and parks near you)?",
        "Насколько легко найти онлайн планы развития города (новые дома, дороги и парки рядом с вами)?",
        "Қаланың даму жоспарларын (жаныңыздағы жаңа үйлер, жолдар мен саябақтар) онлайн табу қаншалықты "
        "оңай?"), "bld", "bld_urban_planning_cadastre_gis"),
    yes_no("bld_permit_used", tr(
        "In the last 3 years, have you applied for a building or renovation permit, or for a land plot?",
        "За последние 3 года вы подавали заявку на разрешение на строительство или перепланировку либо на "
        "земельный участок?",
        "Соңғы 3 жылда құрылысқа немесе қайта жоспарлауға рұқсат алуға не жер учаскесіне өтініш бердіңіз бе?")),
    rating("bld_permit", tr("How easy was it to apply and follow your application online?",
                            "Насколько легко было подать заявку и следить за её рассмотрением онлайн?",
                            "Өтінім беру және оның қаралу барысын онлайн бақылау қаншалықты оңай болды?"),
           "bld", "bld_e_construction_permits", used("bld_permit_used")),
)

AGRICULTURE = group(
    "agriculture", AREAS["agr"],
    yes_no("agr_farm", tr(
        "Do you or your household farm, keep animals or have a garden plot (dacha)?",
        "Вы или ваша семья занимаетесь фермерством, держите скот или имеете садовый участок (дачу)?",
        "Сіз немесе отбасыңыз шаруашылықпен айналысасыз ба, мал ұстайсыз ба немесе бау-бақша учаскеңіз "
        "(саяжай) бар ма?")),
    rating("agr_support", tr("How easy is it to apply online for farm support or to register animals?",
                             "Насколько легко подать онлайн заявку на поддержку хозяйства или зарегистрировать скот?",
                             "Шаруашылықты қолдауға онлайн өтініш беру немесе малды тіркеу қаншалықты оңай?"),
           "agr", "agr_e_subsidies", used("agr_farm")),
    rating("agr_land", tr(
        "How easy is it to find information online about the land around the city and how it may be used "
        "(maps, registers)?",
        "Насколько легко найти онлайн информацию о землях вокруг города и их назначении (карты, реестры)?",
        "Қала маңындағы жерлер және олардың мақсаты туралы ақпаратты (карталар, тізілімдер) онлайн табу "
        "қаншалықты оңай?"), "agr", "agr_field_maps_gis"),
    rating("agr_food", tr(
        "How easy is it to find online where to buy produce from local farms (fairs, markets)?",
        "Насколько легко найти онлайн, где купить продукцию местных фермеров (ярмарки, рынки)?",
        "Жергілікті фермерлердің өнімін қайдан сатып алуға болатынын (жәрмеңкелер, базарлар) онлайн табу "
        "қаншалықты оңай?"), "agr"),
)

CONNECTIVITY = group(
    "connectivity", AREAS["ict"],
    rating("ict_wifi", tr(
        "How well does free public Wi-Fi work where you need it (parks, stops, public buildings)?",
        "Насколько хорошо работает бесплатный общественный Wi-Fi там, где он вам нужен (парки, остановки, "
        "общественные здания)?",
        "Тегін қоғамдық Wi-Fi сізге қажет жерлерде (саябақтар, аялдамалар, қоғамдық ғимараттар) қаншалықты "
        "жақсы жұмыс істейді?"), "ict", "ict_public_wifi"),
    rating("ict_mobile", tr("How good is mobile internet (4G) in the places you go in the city?",
                            "Насколько хорош мобильный интернет (4G) там, где вы бываете в городе?",
                            "Қалада жүретін жерлеріңізде мобильді интернет (4G) қаншалықты сапалы?"),
           "ict", "ict_4g_coverage"),
    rating("ict_home", tr("How good is your home internet (speed and reliability)?",
                          "Насколько хорош ваш домашний интернет (скорость и надёжность)?",
                          "Үйдегі интернетіңіз қаншалықты сапалы (жылдамдығы мен сенімділігі)?"),
           "ict", "ict_broadband_speed"),
)

YOUR_SAY = group(
    "your_say", tr("Your priorities", "Ваши приоритеты", "Сіздің басымдықтарыңыз"),
    Item("priorities", spec.RANKING, tr(
        "Which areas should the akimat make digital first? Choose up to three, the most important first.",
        "Какие сферы акимату следует цифровизировать в первую очередь? Выберите до трёх, начиная с самой важной.",
        "Әкімдік қай салаларды бірінші кезекте цифрландыруы керек? Ең маңыздысынан бастап үшеуге дейін "
        "таңдаңыз."), "areas", constraint="count-selected(.) <= 3",
        constraint_message=tr("Choose at most three areas.", "Выберите не более трёх сфер.",
                              "Үштен артық сала таңдамаңыз.")),
    Item("suggestion", spec.LONG_TEXT, tr(
        "What one change would make your city's digital services better for you?",
        "Что в первую очередь стоит изменить, чтобы цифровые услуги города стали для вас лучше?",
        "Қаланың цифрлық қызметтері сіз үшін жақсаруы үшін ең алдымен не өзгерту керек?"),
        required=False, hints=OPTIONAL_TEXT_HINT, appearance="multiline", constraint="string-length(.) <= 1000",
        constraint_message=TOO_LONG),
)

ABOUT_YOU = group(
    "about_you", tr("About you", "О вас", "Өзіңіз туралы"),
    note("about_you_note", tr(
        "These questions help us check that the answers represent all residents. They cannot identify you.",
        "Эти вопросы помогают убедиться, что ответы представляют всех жителей. По ним вас нельзя узнать.",
        "Бұл сұрақтар жауаптардың барлық тұрғындардың пікірін көрсететінін тексеруге көмектеседі. Олар арқылы "
        "сізді анықтау мүмкін емес.")),
    choose("home_city", "cities", tr("Which city do you live in?", "В каком городе вы живёте?",
                                     "Қай қалада тұрасыз?")),
    Item("district", spec.TEXT, tr("Which district of the city do you live in?", "В каком районе города вы живёте?",
                                   "Қаланың қай ауданында тұрасыз?"),
         required=False, constraint="string-length(.) <= 100",
         hints=tr("For example: Almaly district. Optional.", "Например: Алмалинский район. Необязательно.",
                  "Мысалы: Алмалы ауданы. Міндетті емес."),
         constraint_message=tr("Please keep it under 100 characters.", "Пожалуйста, не более 100 символов.",
                               "Мәтін 100 таңбадан аспауы керек.")),
    choose("age_band", "age_bands", tr("How old are you?", "Сколько вам лет?", "Жасыңыз нешеде?")),
    choose("gender", "genders", tr("What is your gender?", "Ваш пол?", "Жынысыңыз?")),
)

ITEMS = [INTRO, CITY_ADMINISTRATION, HEALTH, EDUCATION, SAFETY, HOUSING, TRANSPORT, SOCIAL, ENVIRONMENT, BUSINESS,
         CONSTRUCTION, AGRICULTURE, CONNECTIVITY, YOUR_SAY, ABOUT_YOU]

CHOICES = {
    "rating5": RATING_CHOICES,
    "yes_no": YES_NO_CHOICES,
    "frequency": [
        ("daily", tr("Almost every day", "Почти каждый день", "Күн сайын дерлік")),
        ("weekly", tr("At least once a week", "Хотя бы раз в неделю", "Аптасына кемінде бір рет")),
        ("monthly", tr("A few times a month", "Несколько раз в месяц", "Айына бірнеше рет")),
        ("rarely", tr("Less often", "Реже", "Сирегірек")),
        ("never", tr("Never", "Никогда", "Ешқашан")),
    ],
    "areas": list(AREAS.items()),
    "cities": city_choices(),
    "age_bands": [
        ("18_24", tr("18–24", "18–24", "18–24")), ("25_34", tr("25–34", "25–34", "25–34")),
        ("35_44", tr("35–44", "35–44", "35–44")), ("45_54", tr("45–54", "45–54", "45–54")),
        ("55_64", tr("55–64", "55–64", "55–64")),
        ("65_plus", tr("65 and over", "65 и старше", "65 және одан жоғары")),
    ],
    "genders": [
        ("female", tr("Woman", "Женщина", "Әйел")), ("male", tr("Man", "Мужчина", "Ер")),
        ("prefer_not", tr("Prefer not to say", "Предпочитаю не отвечать", "Айтқым келмейді")),
    ],
}
