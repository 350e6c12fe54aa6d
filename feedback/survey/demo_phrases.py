"""Customer comments for the demo survey data, in Arabic and English, written for it.

The negative ones per channel echo the pain points of the demo insights
(``feedback/demo.py``), so "customer evidence" for an insight finds real-looking
comments that say the same thing in the customer's words.
"""

import random

from feedback.metrics import is_top_box

POSITIVE = {
    "en": [
        "Quick and friendly service, thank you.",
        "The staff member was very helpful.",
        "Everything was clear and easy.",
        "My problem was solved on the first try.",
        "Great experience, I will come back.",
        "Polite staff and a short wait.",
        "Very professional, they explained every step.",
        "Fast service, no complaints at all.",
    ],
    "ar": [
        "خدمة سريعة وتعامل راقٍ، شكراً لكم",
        "الموظف كان متعاوناً جداً",
        "كل شيء كان واضحاً وسهلاً",
        "تم حل مشكلتي من أول مرة",
        "تجربة ممتازة وسأعود مرة أخرى",
        "موظفون محترمون وانتظار قصير",
        "احترافية عالية وشرحوا لي كل خطوة",
        "خدمة سريعة ولا توجد أي ملاحظات",
    ],
}
NEUTRAL = {
    "en": [
        "It was okay.",
        "Average service.",
        "Fine, but it took a while.",
        "Nothing special, nothing wrong.",
    ],
    "ar": ["الخدمة عادية", "لا بأس بها", "جيدة لكنها أخذت بعض الوقت", "مقبولة بشكل عام"],
}
NEGATIVE = {
    "en": [
        "I waited far too long.",
        "Nobody could answer my question.",
        "I had to come back twice for the same issue.",
        "The staff seemed unsure about the procedure.",
        "Very disappointing experience.",
    ],
    "ar": [
        "انتظرت وقتاً طويلاً جداً",
        "لم يستطع أحد الإجابة على سؤالي",
        "اضطررت للعودة مرتين لنفس المشكلة",
        "الموظف لم يكن متأكداً من الإجراءات",
        "تجربة مخيبة للآمال",
    ],
}
# What goes wrong on each channel, as customers put it.
CHANNEL_NEGATIVE = {
    "branch": {
        "en": [
            "Long queue at lunchtime, only two counters were open.",
            "They asked for my original ID just to change my phone number.",
        ],
        "ar": [
            "طابور طويل وقت الظهر وشباكان فقط مفتوحان",
            "طلبوا الهوية الأصلية لتغيير رقم الجوال فقط",
        ],
    },
    "phone": {
        "en": [
            "On hold for fifteen minutes after choosing billing.",
            "The SMS confirming my appointment was only in English.",
        ],
        "ar": [
            "انتظرت ربع ساعة على الخط بعد اختيار خدمة الفواتير",
            "رسالة تأكيد الموعد وصلت بالإنجليزية فقط",
        ],
    },
    "app": {
        "en": [
            "The app logged me out while I was confirming the payment.",
            "The app keeps freezing at the payment step.",
        ],
        "ar": ["التطبيق يخرجني من حسابي أثناء تأكيد الدفع", "التطبيق يتوقف عند خطوة الدفع"],
    },
    "web": {
        "en": ["The website form would not accept my name in Arabic letters."],
        "ar": ["نموذج التسجيل في الموقع لا يقبل اسمي بالحروف العربية"],
    },
    "chat": {
        "en": ["Two chat agents gave me different answers about returns."],
        "ar": ["موظفان في المحادثة أعطياني إجابتين مختلفتين عن الإرجاع"],
    },
    "email": {
        "en": ["The e-mailed invoice shows only a total, no breakdown."],
        "ar": ["الفاتورة المرسلة بالبريد تعرض المبلغ الإجمالي فقط بدون تفاصيل"],
    },
    "social": {
        "en": ["I complained on Friday and nobody replied until Sunday."],
        "ar": ["كتبت شكوى يوم الجمعة ولم يرد أحد حتى الأحد"],
    },
    "delivery": {
        "en": ["The courier could not find my address without a map pin."],
        "ar": ["المندوب لم يجد عنواني لأنه لا يوجد موقع على الخريطة"],
    },
}
# The highest score that reads as unhappy (the satisfied ones are the metric's top box).
UNHAPPY_UP_TO = {"csat": 2, "ces": 2, "nps": 6}


def comment_for(
    rng: random.Random, *, metric: str, score: int, channel: str, arabic: bool, share=0.35
) -> str:
    """A comment matching the score's sentiment (empty for most responses)."""
    if rng.random() >= share:
        return ""
    language = "ar" if arabic else "en"
    if is_top_box(metric, score):
        return rng.choice(POSITIVE[language])
    if score > UNHAPPY_UP_TO[metric]:
        return rng.choice(NEUTRAL[language])
    specific = CHANNEL_NEGATIVE.get(channel, {}).get(language, [])
    if specific and rng.random() < 0.6:
        return rng.choice(specific)
    return rng.choice(NEGATIVE[language])
