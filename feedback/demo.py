"""Demo insights in Arabic and English across every status, with endorsements,
comments and implemented fixes. Written through the services, then back-dated, so
the history is the same as real use would leave.

Two parts carry the planted truths of ``portal.demo_truths`` (the survey seeder,
``feedback.survey.demo``, makes the customers' side agree with them):

* the implemented insights are exactly :data:`FIXES` — one per channel and location,
  months apart, so that each one's before/after windows are clean and its control
  locations had no fix of their own meanwhile;
* a burst of ``DROP_CATEGORY`` insights on ``DROP_CHANNEL`` during the drop weeks.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from feedback import services
from feedback.models import Category, Insight, InsightEvent, Privacy, Status
from portal import demo_truths
from portal.anonymity import coarse
from portal.models import Channel

# category, channel, (English title, pain point, fix), (Arabic title, pain point, fix)
TEMPLATES = [
    (
        "waiting_time",
        "branch",
        (
            "Long queue at the branch at lunchtime",
            "Customers wait over 40 minutes between 12:00 and 14:00 because two counters close for breaks.",
            "Stagger counter breaks so at least four counters stay open at lunchtime.",
        ),
        (
            "طابور طويل في الفرع وقت الظهر",
            "ينتظر العملاء أكثر من أربعين دقيقة بين الساعة ١٢ و٢ لأن شباكين يغلقان للاستراحة.",
            "توزيع أوقات الاستراحة بحيث تبقى أربعة شبابيك مفتوحة وقت الظهر.",
        ),
    ),
    (
        "waiting_time",
        "phone",
        (
            "Callers on hold too long after the IVR",
            "After choosing the billing option customers wait 15 minutes on hold and many hang up.",
            "Offer a call-back option when the queue is longer than five minutes.",
        ),
        (
            "انتظار طويل على الهاتف بعد الرد الآلي",
            "بعد اختيار خدمة الفواتير ينتظر العميل ربع ساعة على الخط وكثيرون يغلقون المكالمة.",
            "إضافة خيار معاودة الاتصال عندما يزيد الانتظار عن خمس دقائق.",
        ),
    ),
    (
        "digital_channels",
        "app",
        (
            "App logs customers out during payment",
            "The mobile app logs people out when they switch to the bank app to confirm a payment.",
            "Keep the session alive for ten minutes during payment confirmation.",
        ),
        (
            "التطبيق يخرج العميل أثناء الدفع",
            "يخرج تطبيق الجوال العميل من حسابه عند الانتقال لتطبيق البنك لتأكيد الدفع.",
            "إبقاء الجلسة فعالة عشر دقائق أثناء تأكيد الدفع.",
        ),
    ),
    (
        "digital_channels",
        "web",
        (
            "Website form rejects Arabic names",
            "The registration form on the website refuses names written in Arabic letters.",
            "Accept Arabic letters in the name fields.",
        ),
        (
            "نموذج الموقع يرفض الأسماء العربية",
            "نموذج التسجيل في الموقع الإلكتروني لا يقبل الأسماء المكتوبة بالحروف العربية.",
            "السماح بالحروف العربية في حقول الاسم.",
        ),
    ),
    (
        "staff_knowledge",
        "chat",
        (
            "Chat agents unsure about the new return policy",
            "Customers get different answers about returns after 14 days depending on the agent.",
            "A one-page guide and a short quiz on the new return policy.",
        ),
        (
            "موظفو المحادثة غير متأكدين من سياسة الإرجاع الجديدة",
            "يحصل العملاء على إجابات مختلفة عن الإرجاع بعد ١٤ يوماً حسب الموظف.",
            "دليل من صفحة واحدة واختبار قصير عن سياسة الإرجاع الجديدة.",
        ),
    ),
    (
        "billing",
        "email",
        (
            "Invoices arrive without a breakdown",
            "Customers e-mail us confused because the monthly invoice shows only a total.",
            "Add a line-by-line breakdown to the e-mailed invoice.",
        ),
        (
            "الفواتير تصل بدون تفاصيل",
            "يراسلنا العملاء مستغربين لأن الفاتورة الشهرية تعرض المبلغ الإجمالي فقط.",
            "إضافة تفاصيل البنود إلى الفاتورة المرسلة بالبريد.",
        ),
    ),
    (
        "delivery",
        "delivery",
        (
            "Couriers cannot find addresses without a map pin",
            "Deliveries in new districts are late because addresses have no map location.",
            "Ask for a map pin at checkout and send it to the courier.",
        ),
        (
            "المندوب لا يجد العنوان بدون موقع على الخريطة",
            "تتأخر الطلبات في الأحياء الجديدة لأن العناوين ليس لها موقع على الخريطة.",
            "طلب تحديد الموقع على الخريطة عند الدفع وإرساله للمندوب.",
        ),
    ),
    (
        "product_availability",
        "branch",
        (
            "Popular card readers out of stock",
            "Customers come to collect card readers that the app says are available, but we have none.",
            "Sync branch stock to the app every hour.",
        ),
        (
            "أجهزة نقاط البيع غير متوفرة",
            "يأتي العملاء لاستلام أجهزة يظهر في التطبيق أنها متوفرة لكنها غير موجودة في الفرع.",
            "تحديث مخزون الفرع في التطبيق كل ساعة.",
        ),
    ),
    (
        "communication",
        "social",
        (
            "No reply to complaints on social media at weekends",
            "Complaints posted on Friday get their first reply on Sunday and customers escalate.",
            "A weekend rota for the social care team.",
        ),
        (
            "لا رد على الشكاوى في التواصل الاجتماعي نهاية الأسبوع",
            "الشكاوى المنشورة يوم الجمعة لا يرد عليها إلا يوم الأحد فيصعّد العملاء.",
            "جدول مناوبة لفريق التواصل الاجتماعي في نهاية الأسبوع.",
        ),
    ),
    (
        "policy",
        "branch",
        (
            "Original ID required even for small changes",
            "Customers are sent home to fetch their original ID to change a phone number.",
            "Accept the digital ID from the national app for small changes.",
        ),
        (
            "طلب الهوية الأصلية حتى للتعديلات البسيطة",
            "يعود العملاء للمنزل لإحضار الهوية الأصلية لتغيير رقم الجوال فقط.",
            "قبول الهوية الرقمية من تطبيق توكلنا للتعديلات البسيطة.",
        ),
    ),
    (
        "facilities",
        "branch",
        (
            "No ramp at the branch entrance",
            "Customers in wheelchairs cannot enter; staff go outside to serve them in the heat.",
            "Install a ramp and a call bell at the entrance.",
        ),
        (
            "لا يوجد منحدر عند مدخل الفرع",
            "لا يستطيع مستخدمو الكراسي المتحركة الدخول فيخرج الموظف لخدمتهم في الحر.",
            "تركيب منحدر وجرس عند المدخل.",
        ),
    ),
    (
        "communication",
        "phone",
        (
            "SMS confirmation only in English",
            "Many customers cannot read the English SMS that confirms their appointment.",
            "Send the SMS in the customer's preferred language.",
        ),
        (
            "رسالة التأكيد باللغة الإنجليزية فقط",
            "كثير من العملاء لا يستطيعون قراءة رسالة تأكيد الموعد لأنها بالإنجليزية.",
            "إرسال الرسالة بلغة العميل المفضلة.",
        ),
    ),
]

SCALE_COUNTS = {"small": 160, "medium": 1500, "large": 6000}

# The demo's implemented fixes: (category, channel) of a template above, the location,
# and how many weeks before the seeding day the fix went live. At least eight weeks
# from either end of the survey history, and no two on one channel within 16 weeks.
# None on the phone: it is the channel that lags (demo truth 1), and stays so.
FIXES = [
    ("waiting_time", "branch", "RUH-02", 34),
    ("digital_channels", "app", "JED-01", 26),
    ("billing", "email", "DMM-CC", 44),
    ("delivery", "delivery", "JED-HUB", 52),
    ("staff_knowledge", "chat", "DMM-CC", 60),
    ("communication", "social", "RUH-CC", 70),
]
# Insights of DROP_CATEGORY on DROP_CHANNEL reported each day of the drop.
DROP_BURST_PER_DAY = 1

# Staff describe the same problem in their own words: other titles for each template's
# title (first English, then Arabic), and a remark some add to the pain point. Without
# them every branch's report of a problem would read word for word the same.
REWORDINGS = {
    "Long queue at the branch at lunchtime": [
        "Lunchtime queue reaches the door",
        "Only two counters open over lunch",
    ],
    "طابور طويل في الفرع وقت الظهر": [
        "الطابور يصل إلى الباب وقت الغداء",
        "شباكان فقط مفتوحان وقت الظهر",
    ],
    "Callers on hold too long after the IVR": [
        "Billing callers wait 15 minutes on hold",
        "Customers hang up while waiting after the IVR menu",
    ],
    "انتظار طويل على الهاتف بعد الرد الآلي": [
        "العملاء ينتظرون ربع ساعة على خط الفواتير",
        "كثيرون يغلقون الخط أثناء الانتظار بعد القائمة الصوتية",
    ],
    "App logs customers out during payment": [
        "Payment in the app fails after switching to the bank app",
        "Customers lose their basket when the app logs them out",
        "App session ends while the bank confirms the payment",
        "Customers ask us to pay for them after the app fails",
    ],
    "التطبيق يخرج العميل أثناء الدفع": [
        "الدفع في التطبيق يفشل بعد الانتقال لتطبيق البنك",
        "العميل يفقد سلته عندما يخرجه التطبيق من حسابه",
        "جلسة التطبيق تنتهي أثناء تأكيد البنك للدفع",
        "العملاء يطلبون منا الدفع عنهم بعد تعطل التطبيق",
    ],
    "Website form rejects Arabic names": [
        "Registration on the website refuses Arabic letters",
        "Customers cannot sign up online with their Arabic name",
    ],
    "نموذج الموقع يرفض الأسماء العربية": [
        "التسجيل في الموقع لا يقبل الحروف العربية",
        "العملاء لا يستطيعون التسجيل بأسمائهم العربية",
    ],
    "Chat agents unsure about the new return policy": [
        "Different answers on returns after 14 days",
        "Chat team needs a briefing on the return policy",
    ],
    "موظفو المحادثة غير متأكدين من سياسة الإرجاع الجديدة": [
        "إجابات مختلفة عن الإرجاع بعد ١٤ يومًا",
        "فريق المحادثة يحتاج شرحًا لسياسة الإرجاع",
    ],
    "Invoices arrive without a breakdown": [
        "Monthly invoice shows only the total",
        "Customers confused by invoices with no line items",
    ],
    "الفواتير تصل بدون تفاصيل": [
        "الفاتورة الشهرية تعرض المبلغ الإجمالي فقط",
        "العملاء مستغربون من فواتير بلا بنود",
    ],
    "Couriers cannot find addresses without a map pin": [
        "Late deliveries in new districts: no map location",
        "Drivers call customers to find unpinned addresses",
    ],
    "المندوب لا يجد العنوان بدون موقع على الخريطة": [
        "تأخر التوصيل في الأحياء الجديدة لعدم وجود موقع",
        "المندوبون يتصلون بالعملاء للعثور على العناوين",
    ],
    "Popular card readers out of stock": [
        "App shows card readers in stock that the branch does not have",
        "Customers come for card readers we cannot hand over",
    ],
    "أجهزة نقاط البيع غير متوفرة": [
        "التطبيق يعرض أجهزة متوفرة وهي غير موجودة في الفرع",
        "عملاء يأتون لاستلام أجهزة لا نستطيع تسليمها",
    ],
    "No reply to complaints on social media at weekends": [
        "Friday complaints on social media wait until Sunday",
        "Customers escalate after a weekend without a reply",
    ],
    "لا رد على الشكاوى في التواصل الاجتماعي نهاية الأسبوع": [
        "شكاوى الجمعة في التواصل الاجتماعي تنتظر حتى الأحد",
        "العملاء يصعّدون بعد نهاية أسبوع بلا رد",
    ],
    "Original ID required even for small changes": [
        "Customers sent home for their ID to change a phone number",
        "Digital ID not accepted for small account changes",
    ],
    "طلب الهوية الأصلية حتى للتعديلات البسيطة": [
        "العميل يعود للمنزل لإحضار هويته لتغيير رقم الجوال",
        "الهوية الرقمية غير مقبولة للتعديلات البسيطة",
    ],
    "No ramp at the branch entrance": [
        "Wheelchair users cannot get into the branch",
        "Staff serve customers outside because there is no ramp",
    ],
    "لا يوجد منحدر عند مدخل الفرع": [
        "مستخدمو الكراسي المتحركة لا يستطيعون دخول الفرع",
        "الموظفون يخدمون العملاء خارج الفرع لعدم وجود منحدر",
    ],
    "SMS confirmation only in English": [
        "Appointment SMS cannot be read by many customers",
        "Confirmation messages ignore the customer's language",
    ],
    "رسالة التأكيد باللغة الإنجليزية فقط": [
        "كثير من العملاء لا يقرؤون رسالة تأكيد الموعد",
        "رسائل التأكيد لا تراعي لغة العميل",
    ],
}
REMARKS = {
    "en": [
        "",
        "",
        " It happened again this week.",
        " Three customers mentioned it today alone.",
        " Regular customers have started to complain about it.",
    ],
    "ar": [
        "",
        "",
        " تكرر ذلك هذا الأسبوع أيضًا.",
        " ذكر ذلك ثلاثة عملاء اليوم وحده.",
        " بدأ العملاء الدائمون يشتكون من ذلك.",
    ],
}


def _worded(rng: random.Random, wording: tuple[str, str, str], language: str):
    """A template's title, pain point and fix as one member of staff might put them."""
    title, pain, fix = wording
    title = rng.choice([title, *REWORDINGS.get(title, [])])
    return title, pain + rng.choice(REMARKS[language]), fix


# Target status and its weight; the path to each is walked through the service.
PATHS = {
    Status.NEW: [],
    Status.UNDER_REVIEW: [Status.UNDER_REVIEW],
    Status.ACCEPTED: [Status.UNDER_REVIEW, Status.ACCEPTED],
    Status.IN_PROGRESS: [Status.ACCEPTED, Status.IN_PROGRESS],
    Status.IMPLEMENTED: [
        Status.UNDER_REVIEW,
        Status.ACCEPTED,
        Status.IN_PROGRESS,
        Status.IMPLEMENTED,
    ],
    Status.DECLINED: [Status.UNDER_REVIEW, Status.DECLINED],
}
# Random insights are never implemented: the implemented ones are FIXES.
WEIGHTS = {
    Status.NEW: 14,
    Status.UNDER_REVIEW: 12,
    Status.ACCEPTED: 14,
    Status.IN_PROGRESS: 22,
    Status.DECLINED: 6,
}
NOTES = {
    Status.ACCEPTED: ("Good catch — we will fix this.", "ملاحظة مهمة، سنعمل على حلها."),
    Status.IN_PROGRESS: ("The owning team has started.", "بدأ الفريق المسؤول العمل عليها."),
    Status.IMPLEMENTED: ("The fix is live. Thank you!", "تم تطبيق الحل. شكراً لك!"),
    Status.DECLINED: (
        "Not possible under current regulation.",
        "غير ممكن وفق الأنظمة الحالية.",
    ),
}
COMMENTS = [
    ("Same at our branch every Thursday.", "نفس المشكلة عندنا كل خميس."),
    ("Customers mentioned this three times today.", "ذكر العملاء هذا ثلاث مرات اليوم."),
    ("Thanks for raising it.", "شكراً على طرح الموضوع."),
]


def _pick_status(rng: random.Random) -> str:
    statuses = list(WEIGHTS)
    return rng.choices(statuses, weights=[WEIGHTS[s] for s in statuses])[0]


def _template(category: str, channel: str):
    return next(t for t in TEMPLATES if t[0] == category and t[1] == channel)


class _Seeder:
    def __init__(self, *, org, rng: random.Random):
        self.rng = rng
        self.channels = {c.code: c for c in Channel.objects.all()}
        self.categories = {c.code: c for c in Category.objects.all()}
        self.staff = [u for u in org.staff if u.team_id]
        self.staff.append(org.demo_users["frontline"])
        self.head_manager = org.demo_users["manager"]
        self.today = timezone.localdate()

    def submit(self, template, author, submitted, privacy=Privacy.NAMED) -> Insight:
        category, channel, english, arabic = template
        rng = self.rng
        title, pain, fix = _worded(
            rng, arabic if author.language == "ar" else english, author.language
        )
        insight = services.insight_submit(
            author=author,
            title=title,
            pain_point=pain,
            suggested_fix=fix if rng.random() < 0.85 else "",
            channel=self.channels[channel],
            category=self.categories[category],
            customer_impact=rng.choice(["low", "medium", "medium", "high", "critical"]),
            frequency=rng.choice(["rare", "weekly", "daily", "daily", "hourly"]),
            privacy=privacy,
        )
        if insight.is_anonymous:
            submitted = coarse(submitted)  # as the service stamps anonymous reports
        Insight.objects.filter(pk=insight.pk).update(created_at=submitted)
        InsightEvent.objects.filter(insight=insight).update(created_at=submitted)
        insight.created_at = submitted
        return insight

    def walk(self, insight, author, target, *, implemented_on=None) -> None:
        """Move ``insight`` to ``target`` through the service, back-dating each step."""
        rng = self.rng
        moment = insight.created_at
        steps = PATHS[target]
        for number, step in enumerate(steps, start=1):
            moment = min(
                moment + datetime.timedelta(days=rng.randint(1, 20), hours=rng.randint(1, 8)),
                timezone.now(),
            )
            if implemented_on is not None:
                # The steps before the fix went live fall before it.
                start = datetime.datetime.combine(
                    implemented_on, datetime.time(9), tzinfo=timezone.get_current_timezone()
                )
                moment = start - datetime.timedelta(days=3 * (len(steps) - number))
            note_en, note_ar = NOTES.get(step, ("", ""))
            implemented_at = None
            if step == Status.IMPLEMENTED:
                implemented_at = implemented_on or min(timezone.localdate(moment), self.today)
            services.insight_transition(
                insight=insight,
                by=self.head_manager,
                to_status=step,
                note=note_ar if author.language == "ar" else note_en,
                implemented_at=implemented_at,
            )
            InsightEvent.objects.filter(insight=insight, to_status=step).update(created_at=moment)
        if steps:
            first = InsightEvent.objects.filter(insight=insight, kind="status").order_by("id")[0]
            Insight.objects.filter(pk=insight.pk).update(first_response_at=first.created_at)

    def conversation(self, insight, author, privacy, target) -> None:
        rng, staff = self.rng, self.staff
        closed = target in (Status.DECLINED, Status.DUPLICATE)
        if privacy not in (Privacy.CONFIDENTIAL, Privacy.ANONYMOUS_CONFIDENTIAL) and not closed:
            for endorser in rng.sample(staff, k=min(len(staff), rng.randint(0, 6))):
                if endorser.pk != author.pk:
                    services.insight_endorse(insight=insight, user=endorser)
            if rng.random() < 0.35:
                commenter = rng.choice(staff)
                text_en, text_ar = rng.choice(COMMENTS)
                services.comment_add(
                    insight=insight,
                    by=commenter,
                    body=text_ar if commenter.language == "ar" else text_en,
                )
        if rng.random() < 0.2:
            services.comment_add(
                insight=insight,
                by=self.head_manager,
                body="Checking with the owning department."
                if rng.random() < 0.5
                else "نتحقق مع الإدارة المعنية.",
                is_internal=True,
            )

    def random_insight(self) -> None:
        rng = self.rng
        template = rng.choice(TEMPLATES)
        author = rng.choice(self.staff)
        privacy = rng.choices(
            [
                Privacy.NAMED,
                Privacy.ANONYMOUS,
                Privacy.CONFIDENTIAL,
                Privacy.ANONYMOUS_CONFIDENTIAL,
            ],
            weights=[70, 18, 8, 4],
        )[0]
        age_days = rng.randint(0, 540)
        submitted = timezone.now() - datetime.timedelta(days=age_days, hours=rng.randint(0, 10))
        insight = self.submit(template, author, submitted, privacy)
        target = _pick_status(rng) if age_days > 3 else Status.NEW
        self.walk(insight, author, target)
        self.conversation(insight, author, privacy, target)

    def fix(self, category, channel, location, weeks_ago) -> None:
        implemented_on = self.today - datetime.timedelta(weeks=weeks_ago)
        authors = [u for u in self.staff if u.team.location.code == location]
        author = self.rng.choice(authors)
        submitted = datetime.datetime.combine(
            implemented_on - datetime.timedelta(days=self.rng.randint(40, 70)),
            datetime.time(10),
            tzinfo=timezone.get_current_timezone(),
        )
        insight = self.submit(_template(category, channel), author, submitted)
        self.walk(insight, author, Status.IMPLEMENTED, implemented_on=implemented_on)
        self.conversation(insight, author, Privacy.NAMED, Status.IMPLEMENTED)

    def drop_burst(self) -> int:
        """Staff report the drop's problem again and again while it lasts."""
        start = self.today - datetime.timedelta(weeks=demo_truths.DROP_STARTS_WEEKS_AGO)
        template = _template(demo_truths.DROP_CATEGORY, demo_truths.DROP_CHANNEL)
        created = 0
        for day in range(demo_truths.DROP_WEEKS * 7):
            for _n in range(DROP_BURST_PER_DAY):
                author = self.rng.choice(self.staff)
                submitted = datetime.datetime.combine(
                    start + datetime.timedelta(days=day),
                    datetime.time(self.rng.randint(8, 20), self.rng.randint(0, 59)),
                    tzinfo=timezone.get_current_timezone(),
                )
                insight = self.submit(template, author, submitted)
                target = self.rng.choice([Status.NEW, Status.UNDER_REVIEW, Status.ACCEPTED])
                self.walk(insight, author, target)
                self.conversation(insight, author, Privacy.NAMED, target)
                created += 1
        return created


@transaction.atomic
def seed(*, org, rng: random.Random, scale: str) -> str:
    """Add demo insights once; a second run leaves them as they are."""
    if Insight.objects.exists():
        return f"Insights: {Insight.objects.count()} already present."
    seeder = _Seeder(org=org, rng=rng)
    for _i in range(SCALE_COUNTS[scale]):
        seeder.random_insight()
    for fix in FIXES:
        seeder.fix(*fix)
    burst = seeder.drop_burst()
    return (
        f"Insights: {SCALE_COUNTS[scale] + len(FIXES) + burst} created across every status "
        f"({len(FIXES)} fixes implemented, {burst} reports during the drop)."
    )
