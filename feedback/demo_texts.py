"""The words of the demo insights, in English and Arabic: templates of what staff
report, other ways they put the same titles, remarks, managers' notes and colleagues'
comments. (Data only; ``feedback.demo`` writes the insights.)"""

from feedback.models import Status

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
