"""What the demo's trainers wrote: service standards and their versions, in English and
Arabic, and the channels the demo's teams serve."""

# Which channels each kind of demo team serves (by the suffix of its code).
TEAM_CHANNELS = {
    "TELLER": ["branch"],
    "CS": ["branch"],
    "FLOOR": ["branch"],
    "CASH": ["branch"],
    "VOICE": ["phone"],
    "DIGITAL": ["chat", "email", "web", "app"],
    "SOCIAL": ["social"],
    "COURIER": ["delivery"],
    "DISPATCH": ["delivery", "phone"],
}

RESP_V1_EN = """Every customer gets a first answer within the target time of the channel they chose.

| Channel | First answer within |
|---|---|
| Phone | 60 seconds |
| Chat and app | 2 minutes |
| Social media | 30 minutes |
| E-mail and web forms | 4 working hours |

- A first answer is a real answer or a clear next step, never an automatic receipt alone.
- If you cannot solve it now, say when the customer will hear from us, and keep that promise.
"""
RESP_V1_AR = """يحصل كل عميل على أول رد خلال الوقت المستهدف للقناة التي اختارها.

| القناة | أول رد خلال |
|---|---|
| الهاتف | 60 ثانية |
| المحادثة والتطبيق | دقيقتان |
| وسائل التواصل الاجتماعي | 30 دقيقة |
| البريد الإلكتروني ونماذج الموقع | 4 ساعات عمل |

- أول رد هو إجابة حقيقية أو خطوة تالية واضحة، وليس إشعار استلام آليًا فقط.
- إن لم تستطع الحل الآن فأخبر العميل متى سيسمع منا، والتزم بذلك.
"""
RESP_V2_EN = RESP_V1_EN.replace("| Social media | 30 minutes |", "| Social media | 15 minutes |")
RESP_V2_AR = RESP_V1_AR.replace(
    "| وسائل التواصل الاجتماعي | 30 دقيقة |", "| وسائل التواصل الاجتماعي | 15 دقيقة |"
)

GREET_EN = """Greet every customer within 10 seconds of contact, in person, on the phone or in chat.

1. Greet ("Good morning, welcome to …").
2. Say your first name.
3. Offer help: "How can I help you today?"

On the phone, also say the name of the branch or the contact centre. Use the customer's
name once you know it, and the language they started in: Arabic or English.
"""
GREET_AR = """رحّب بكل عميل خلال عشر ثوانٍ من تواصله، حضوريًا أو هاتفيًا أو عبر المحادثة.

1. رحّب ("صباح الخير، أهلًا بك في …").
2. عرّف باسمك الأول.
3. اعرض المساعدة: "كيف أستطيع خدمتك اليوم؟"

في الهاتف اذكر أيضًا اسم الفرع أو مركز الاتصال. نادِ العميل باسمه متى عرفته، وتحدث باللغة التي
بدأ بها: العربية أو الإنجليزية.
"""

COMP_EN = """A complaint is a gift: the customer is telling us how to improve.

- **Listen** without interrupting, then repeat the problem in your own words.
- **Apologise** for the experience, even when it was not your fault.
- **Log** every complaint the same day, with the channel and what the customer asked for.
- **Resolve** at first contact when you can; otherwise give a reference number and a date.
- **Close the loop**: tell the customer what was done.
"""
COMP_AR = """الشكوى هدية: العميل يخبرنا كيف نتحسن.

- **استمع** دون مقاطعة، ثم أعد صياغة المشكلة بكلماتك.
- **اعتذر** عن التجربة حتى لو لم يكن الخطأ خطأك.
- **سجّل** كل شكوى في يومها، مع القناة وما طلبه العميل.
- **احلّ** المشكلة من أول تواصل متى استطعت؛ وإلا فأعطِ رقمًا مرجعيًا وموعدًا.
- **أغلق الدائرة**: أخبر العميل بما تم.
"""

PRIV_V1_EN = """Customer data is used only to serve that customer.

- Verify identity before discussing an account: full name and date of birth.
- Never read out or send a full card or ID number.
- Lock your screen whenever you leave your desk.
"""
PRIV_V1_AR = """تُستخدم بيانات العميل لخدمته فقط.

- تحقق من الهوية قبل مناقشة أي حساب: الاسم الكامل وتاريخ الميلاد.
- لا تقرأ ولا ترسل رقم البطاقة أو الهوية كاملًا أبدًا.
- أقفل شاشتك كلما غادرت مكتبك.
"""
PRIV_V2_EN = """Customer data is used only to serve that customer, under the Personal Data
Protection Law.

- Verify identity before discussing an account: full name, date of birth **and a one-time
  code sent to the registered mobile number**.
- Never read out or send a full card or ID number, and never ask for a password or a one-time
  code on the phone.
- Do not photograph screens or documents, and do not send customer data through personal
  messaging apps.
- Report a suspected data leak to the privacy office within 24 hours.
- Lock your screen whenever you leave your desk.
"""
PRIV_V2_AR = """تُستخدم بيانات العميل لخدمته فقط، وفق نظام حماية البيانات الشخصية.

- تحقق من الهوية قبل مناقشة أي حساب: الاسم الكامل وتاريخ الميلاد **ورمز لمرة واحدة يُرسل إلى
  رقم الجوال المسجل**.
- لا تقرأ ولا ترسل رقم البطاقة أو الهوية كاملًا أبدًا، ولا تطلب كلمة مرور أو رمزًا لمرة واحدة عبر
  الهاتف.
- لا تصوّر الشاشات أو المستندات، ولا ترسل بيانات العملاء عبر تطبيقات المراسلة الشخصية.
- أبلغ مكتب الخصوصية عن أي تسرب محتمل للبيانات خلال 24 ساعة.
- أقفل شاشتك كلما غادرت مكتبك.
"""
PRIV_V3_EN = PRIV_V2_EN.replace("within 24 hours", "within 24 hours (privacy@demo.example)")
PRIV_V3_AR = PRIV_V2_AR.replace("خلال 24 ساعة", "خلال 24 ساعة (privacy@demo.example)")

ESC_EN = """Escalate when the customer's problem is outside what you can decide.

- Escalate to your team leader when the customer asks for it, when money above SAR 1,000 is
  at stake, or when the same problem comes back a third time.
- Hand over the whole story: the customer should never have to repeat it.
- Tell the customer who will call them and by when.
"""
ESC_AR = """صعّد الحالة عندما تكون مشكلة العميل خارج صلاحياتك.

- صعّد إلى قائد فريقك إذا طلب العميل ذلك، أو إذا تعلق الأمر بمبلغ يزيد على 1000 ريال، أو إذا
  تكررت المشكلة نفسها للمرة الثالثة.
- سلّم القصة كاملة: يجب ألا يضطر العميل إلى إعادتها.
- أخبر العميل من سيتصل به ومتى.
"""

CONS_EN = """A customer gets the same answer on every channel.

- Prices, fees, opening hours and policies come from the knowledge base only, never from memory.
- If the knowledge base and a colleague disagree, the knowledge base wins; report the gap.
- Do not promise on one channel what another channel cannot deliver.
"""
CONS_AR = """يحصل العميل على الإجابة نفسها في كل قناة.

- الأسعار والرسوم وأوقات العمل والسياسات تؤخذ من قاعدة المعرفة فقط، وليس من الذاكرة.
- إذا اختلفت قاعدة المعرفة مع أحد الزملاء فالمرجع قاعدة المعرفة؛ وأبلغ عن الاختلاف.
- لا تعد في قناة بما لا تستطيع قناة أخرى الوفاء به.
"""

DLV_EN = """Every order is handed over safely and on time.

- Call or message the customer when you are 15 minutes away.
- Check the order number and the customer's name before handing over.
- Cash on delivery: count the change in front of the customer and give a receipt.
- If nobody is home, wait 10 minutes, call twice, then leave a card with a rebooking link.
"""
DLV_AR = """يُسلَّم كل طلب بأمان وفي موعده.

- اتصل بالعميل أو راسله عندما تكون على بعد 15 دقيقة.
- تحقق من رقم الطلب واسم العميل قبل التسليم.
- الدفع عند الاستلام: عُدّ الباقي أمام العميل وسلّمه إيصالًا.
- إن لم يكن أحد في المنزل فانتظر 10 دقائق واتصل مرتين، ثم اترك بطاقة فيها رابط لإعادة الحجز.
"""

# code, English title, Arabic title, channels, department, versions
# (text_en, text_ar, change, change notes, days before the seeding day it was published)
STANDARDS = [
    (
        "STD-RESP-01",
        "Answer every channel within its target time",
        "الرد على كل قناة خلال الوقت المستهدف",
        ["phone", "chat", "email", "social", "app", "web"],
        "CS",
        [
            (RESP_V1_EN, RESP_V1_AR, "major", "First version.", 700),
            (
                RESP_V2_EN,
                RESP_V2_AR,
                "minor",
                "Social media target from 30 to 15 minutes.",
                400,
            ),
        ],
    ),
    (
        "STD-GREET-01",
        "Greet and identify",
        "الترحيب والتعريف بالنفس",
        ["branch", "phone", "chat"],
        "CS",
        [(GREET_EN, GREET_AR, "major", "First version.", 700)],
    ),
    (
        "STD-COMP-01",
        "Complaint handling",
        "التعامل مع الشكاوى",
        [],
        "CS",
        [(COMP_EN, COMP_AR, "major", "First version.", 700)],
    ),
    (
        "STD-PRIV-01",
        "Customer data privacy",
        "خصوصية بيانات العملاء",
        [],
        "IT",
        [
            (PRIV_V1_EN, PRIV_V1_AR, "major", "First version.", 700),
            (
                PRIV_V2_EN,
                PRIV_V2_AR,
                "major",
                "Personal Data Protection Law: one-time code to verify identity, no personal "
                "messaging apps, leaks reported within 24 hours. Everyone re-trains.",
                270,
            ),
            (PRIV_V3_EN, PRIV_V3_AR, "minor", "The privacy office's address.", 60),
        ],
    ),
    (
        "STD-ESC-01",
        "Escalation to the right team",
        "تصعيد الحالات إلى الفريق المختص",
        ["branch", "phone", "chat", "email", "delivery"],
        "OPS",
        [(ESC_EN, ESC_AR, "major", "First version.", 700)],
    ),
    (
        "STD-CONS-01",
        "Consistent information on every channel",
        "معلومات موحدة عبر كل القنوات",
        [],
        "MKT",
        [(CONS_EN, CONS_AR, "major", "First version.", 700)],
    ),
    (
        "STD-DLV-01",
        "Safe and punctual delivery hand-over",
        "تسليم الطلبات بأمان وفي الموعد",
        ["delivery"],
        "LOG",
        [(DLV_EN, DLV_AR, "major", "First version.", 700)],
    ),
]
