"""The demo organisation: regions, locations, teams, departments and staff.

Deterministic for a seed and safe to run again: everything is found by its code
or username and updated in place.
"""

import random
from dataclasses import dataclass, field

from django.db import transaction

from portal import services
from portal.models import Department, Location, Region, Role, Team, User

REGIONS = [
    ("RUH", "Riyadh", "الرياض"),
    ("JED", "Makkah Region", "منطقة مكة المكرمة"),
    ("DMM", "Eastern Province", "المنطقة الشرقية"),
]

LOCATIONS = [
    # code, region, kind, English, Arabic
    ("RUH-01", "RUH", "branch", "Olaya Branch", "فرع العليا"),
    ("RUH-02", "RUH", "branch", "Malaz Branch", "فرع الملز"),
    ("RUH-03", "RUH", "branch", "Naseem Branch", "فرع النسيم"),
    ("RUH-04", "RUH", "store", "Riyadh Park Store", "متجر الرياض بارك"),
    ("RUH-CC", "RUH", "call_centre", "Riyadh Contact Centre", "مركز اتصال الرياض"),
    ("RUH-HQ", "RUH", "office", "Head Office", "المكتب الرئيسي"),
    ("JED-01", "JED", "branch", "Tahlia Branch", "فرع التحلية"),
    ("JED-02", "JED", "branch", "Balad Branch", "فرع البلد"),
    ("JED-03", "JED", "store", "Red Sea Mall Store", "متجر رد سي مول"),
    ("JED-HUB", "JED", "hub", "Jeddah Delivery Hub", "مركز توصيل جدة"),
    ("MKK-01", "JED", "branch", "Aziziyah Branch, Makkah", "فرع العزيزية بمكة"),
    ("DMM-01", "DMM", "branch", "Dammam Corniche Branch", "فرع كورنيش الدمام"),
    ("DMM-02", "DMM", "branch", "Khobar Branch", "فرع الخبر"),
    ("DMM-03", "DMM", "store", "Dhahran Mall Store", "متجر الظهران مول"),
    ("DMM-CC", "DMM", "call_centre", "Eastern Contact Centre", "مركز اتصال الشرقية"),
]

TEAMS_BY_KIND = {
    "branch": [("TELLER", "Tellers", "الصرافون"), ("CS", "Customer service", "خدمة العملاء")],
    "store": [("FLOOR", "Shop floor", "صالة البيع"), ("CASH", "Checkout", "نقاط الدفع")],
    "call_centre": [
        ("VOICE", "Inbound calls", "المكالمات الواردة"),
        ("DIGITAL", "Chat and e-mail", "المحادثة والبريد"),
        ("SOCIAL", "Social care", "العناية عبر التواصل الاجتماعي"),
    ],
    "hub": [("COURIER", "Couriers", "المندوبون"), ("DISPATCH", "Dispatch", "التوزيع")],
    "office": [
        ("QA", "Learning and quality", "التدريب والجودة"),
        ("CX", "Customer experience", "تجربة العملاء"),
    ],
}

DEPARTMENTS = [
    ("CS", "Customer Service", "خدمة العملاء"),
    ("OPS", "Operations", "العمليات"),
    ("IT", "IT and Digital", "تقنية المعلومات والقنوات الرقمية"),
    ("MKT", "Marketing", "التسويق"),
    ("FIN", "Finance and Billing", "المالية والفوترة"),
    ("LOG", "Logistics", "الخدمات اللوجستية"),
    ("HR", "People and Training", "الموارد البشرية والتدريب"),
]

FIRST_AR = [
    "محمد",
    "عبدالله",
    "فهد",
    "خالد",
    "سارة",
    "نورة",
    "ريم",
    "هند",
    "عبدالرحمن",
    "سلطان",
    "لمى",
    "جواهر",
    "ماجد",
    "تركي",
    "أمل",
    "منيرة",
    "يوسف",
    "هيا",
    "بندر",
    "دانة",
]
LAST_AR = [
    "العتيبي",
    "القحطاني",
    "الشمري",
    "الدوسري",
    "الغامدي",
    "الزهراني",
    "الحربي",
    "المطيري",
    "السبيعي",
    "العنزي",
    "الشهري",
    "البقمي",
]
FIRST_EN = [
    "Mohammed",
    "Abdullah",
    "Fahad",
    "Khalid",
    "Sara",
    "Noura",
    "Reem",
    "Hind",
    "Omar",
    "Aisha",
    "Yousef",
    "Lina",
    "Faisal",
    "Maha",
    "Ahmed",
    "Dana",
    "Ravi",
    "Maria",
    "John",
    "Priya",
]
LAST_EN = [
    "Alotaibi",
    "Alqahtani",
    "Alshammari",
    "Aldosari",
    "Alghamdi",
    "Alzahrani",
    "Alharbi",
    "Khan",
    "Fernandes",
    "Smith",
    "Hassan",
    "Nasser",
]

SCALES = {"small": 160, "medium": 400, "large": 2000}

DEMO_USERS = [
    # username, display name, roles, team, language, managed locations
    ("frontline", "Noura Alqahtani", [Role.FRONTLINE], "RUH-01-TELLER", "en", []),
    ("trainer", "Khalid Alghamdi", [Role.TRAINER, Role.FRONTLINE], "RUH-HQ-QA", "en", []),
    ("manager", "Sara Alotaibi", [Role.MANAGER], "RUH-HQ-CX", "en", []),
    (
        "manager.riyadh",
        "فهد الدوسري",
        [Role.MANAGER],
        "RUH-01-CS",
        "ar",
        ["RUH-01", "RUH-02", "RUH-03", "RUH-04", "RUH-CC"],
    ),
    ("admin", "System Administrator", [Role.ADMIN], "RUH-HQ-CX", "en", []),
]


@dataclass
class DemoOrg:
    regions: dict = field(default_factory=dict)
    locations: dict = field(default_factory=dict)
    teams: dict = field(default_factory=dict)
    departments: dict = field(default_factory=dict)
    staff: list = field(default_factory=list)
    demo_users: dict = field(default_factory=dict)


def _upsert(model, code, **values):
    obj, _created = model.objects.update_or_create(code=code, defaults=values)
    return obj


@transaction.atomic
def seed_org(*, rng: random.Random, scale: str, password: str) -> DemoOrg:
    """Create or refresh the demo organisation and its people."""
    org = DemoOrg()
    for code, en, ar in REGIONS:
        org.regions[code] = _upsert(Region, code, name_en=en, name_ar=ar)
    for code, region, kind, en, ar in LOCATIONS:
        org.locations[code] = _upsert(
            Location, code, name_en=en, name_ar=ar, region=org.regions[region], kind=kind
        )
        for suffix, team_en, team_ar in TEAMS_BY_KIND[kind]:
            team_code = f"{code}-{suffix}"
            org.teams[team_code] = _upsert(
                Team,
                team_code,
                name_en=f"{en} – {team_en}",
                name_ar=f"{ar} – {team_ar}",
                location=org.locations[code],
            )
    for code, en, ar in DEPARTMENTS:
        org.departments[code] = _upsert(Department, code, name_en=en, name_ar=ar)

    existing = set(User.objects.values_list("username", flat=True))
    frontline_teams = [t for code, t in org.teams.items() if not code.startswith("RUH-HQ")]
    for i in range(1, SCALES[scale] + 1):
        username = f"staff{i:04d}"
        arabic = rng.random() < 0.6
        if arabic:
            name = f"{rng.choice(FIRST_AR)} {rng.choice(LAST_AR)}"
        else:
            name = f"{rng.choice(FIRST_EN)} {rng.choice(LAST_EN)}"
        team = frontline_teams[(i - 1) % len(frontline_teams)]
        if username in existing:
            org.staff.append(User.objects.get(username=username))
            continue
        org.staff.append(
            services.user_create(
                username=username,
                display_name=name,
                email=f"{username}@demo.frontline-voice.local",
                roles=[Role.FRONTLINE],
                team=team,
                language="ar" if arabic else "en",
            )
        )
    # Staff log in with the demo password too, so any of them can be tried.
    hashed = User(password="")
    hashed.set_password(password)
    User.objects.filter(username__startswith="staff").update(password=hashed.password)

    for username, name, roles, team, language, managed in DEMO_USERS:
        fields = {
            "display_name": name,
            "email": f"{username}@demo.frontline-voice.local",
            "team": org.teams[team],
            "language": language,
        }
        user = User.objects.filter(username=username).first()
        if user is None:
            user = services.user_create(username=username, roles=roles, **fields)
        user.set_password(password)
        user.save(update_fields=["password"])
        services.user_update(
            user=user,
            roles=roles,
            managed_locations=[org.locations[c] for c in managed],
            is_active=True,
            **fields,
        )
        org.demo_users[username] = user
    return org
