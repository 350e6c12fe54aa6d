"""Forms of the training pages. They only check and convert input; the services write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Channel, Department, Location, Role, Team, User
from training.models import ChangeKind, Module, QuestionKind, Standard
from training.models.standards import TEXT_MAX

CHOICE_SLOTS = 6
TEXTAREA = {"rows": 12, "dir": "auto"}


class CodeChoiceField(forms.ModelChoiceField):
    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("to_field_name", "code")
        super().__init__(queryset, **kwargs)


class CodesField(forms.ModelMultipleChoiceField):
    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        kwargs.setdefault("required", False)
        super().__init__(queryset, **kwargs)


class StandardForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40, help_text=_("For example STD-RESP-01."))
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    title_ar = forms.CharField(
        label=_("Title (Arabic)"), max_length=200, widget=forms.TextInput(attrs={"dir": "rtl"})
    )
    channels = CodesField(
        Channel.objects.filter(is_active=True),
        label=_("Channels it applies to"),
        help_text=_("None ticked: it applies to everyone."),
    )
    department = CodeChoiceField(
        Department.objects.all(), label=_("Owning department"), required=False
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]


class InsightIdsField(forms.CharField):
    """Insight numbers, separated by commas or spaces (#12, 15)."""

    def to_python(self, value):
        text = super().to_python(value) or ""
        ids = []
        for part in text.replace(",", " ").split():
            part = part.lstrip("#")
            if not part.isdigit():
                raise forms.ValidationError(_("Give insight numbers, such as 12, 15."))
            ids.append(int(part))
        return ids


class VersionForm(forms.Form):
    text_en = forms.CharField(
        label=_("Text (English, Markdown)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={**TEXTAREA, "dir": "ltr", "lang": "en"}),
    )
    text_ar = forms.CharField(
        label=_("Text (Arabic, Markdown)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={**TEXTAREA, "dir": "rtl", "lang": "ar"}),
    )
    change_notes = forms.CharField(
        label=_("What changed"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    change = forms.ChoiceField(
        label=_("Kind of change"),
        choices=ChangeKind.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Major: everyone covered re-trains and acknowledges again. "
            "Minor: completions carry over."
        ),
    )
    effective_date = forms.DateField(
        label=_("Effective date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    answers_insights = InsightIdsField(
        label=_("Insights it answers"),
        required=False,
        help_text=_(
            "Insight numbers, such as 12, 15. Their submitters are told when it is published."
        ),
    )


class ModuleForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    title_ar = forms.CharField(
        label=_("Title (Arabic)"), max_length=200, widget=forms.TextInput(attrs={"dir": "rtl"})
    )
    content_en = forms.CharField(
        label=_("Content (English, Markdown)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={**TEXTAREA, "dir": "ltr", "lang": "en"}),
    )
    content_ar = forms.CharField(
        label=_("Content (Arabic, Markdown)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={**TEXTAREA, "dir": "rtl", "lang": "ar"}),
    )
    standards = CodesField(Standard.objects.filter(is_active=True), label=_("Standards covered"))
    minutes = forms.IntegerField(
        label=_("Estimated minutes"), min_value=1, max_value=600, initial=15
    )
    pass_mark = forms.IntegerField(label=_("Pass mark (%)"), min_value=1, max_value=100, initial=80)
    max_attempts = forms.IntegerField(
        label=_("Maximum attempts"), min_value=1, max_value=20, initial=3
    )
    recertify_months = forms.IntegerField(
        label=_("Recertify after (months)"),
        min_value=1,
        max_value=120,
        required=False,
        help_text=_("Empty: a pass does not expire."),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    text_en = forms.CharField(
        label=_("Question (English)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    text_ar = forms.CharField(
        label=_("Question (Arabic)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "rtl"}),
    )
    explanation_en = forms.CharField(
        label=_("Explanation shown after the attempt (English)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    explanation_ar = forms.CharField(
        label=_("Explanation shown after the attempt (Arabic)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "rtl"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, CHOICE_SLOTS + 1):
            self.fields[f"choice_{i}_en"] = forms.CharField(
                label=_("Answer %(n)s (English)") % {"n": i}, max_length=500, required=False
            )
            self.fields[f"choice_{i}_ar"] = forms.CharField(
                label=_("Answer %(n)s (Arabic)") % {"n": i},
                max_length=500,
                required=False,
                widget=forms.TextInput(attrs={"dir": "rtl"}),
            )
            self.fields[f"choice_{i}_correct"] = forms.BooleanField(
                label=_("Answer %(n)s is right") % {"n": i}, required=False
            )

    def slots(self):
        """Per answer slot, its three fields, for the template."""
        return [
            (self[f"choice_{i}_en"], self[f"choice_{i}_ar"], self[f"choice_{i}_correct"])
            for i in range(1, CHOICE_SLOTS + 1)
        ]

    def question_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in ("kind", "text_en", "text_ar")}
        data["explanation_en"] = self.cleaned_data["explanation_en"]
        data["explanation_ar"] = self.cleaned_data["explanation_ar"]
        data["choices"] = [
            {
                "text_en": self.cleaned_data[f"choice_{i}_en"],
                "text_ar": self.cleaned_data[f"choice_{i}_ar"],
                "correct": self.cleaned_data[f"choice_{i}_correct"],
            }
            for i in range(1, CHOICE_SLOTS + 1)
            if self.cleaned_data[f"choice_{i}_en"] or self.cleaned_data[f"choice_{i}_ar"]
        ]
        return data

    @classmethod
    def initial_for(cls, question) -> dict:
        initial = {
            name: getattr(question, name)
            for name in ("kind", "text_en", "text_ar", "explanation_en", "explanation_ar")
        }
        for i, choice in enumerate(question.choices.all()[:CHOICE_SLOTS], start=1):
            initial[f"choice_{i}_en"] = choice.text_en
            initial[f"choice_{i}_ar"] = choice.text_ar
            initial[f"choice_{i}_correct"] = choice.correct
        return initial


class UsernamesField(forms.CharField):
    def to_python(self, value):
        names = (super().to_python(value) or "").replace(",", " ").split()
        if not names:
            return []
        found = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
        missing = [name for name in names if name not in found]
        if missing:
            raise forms.ValidationError(
                _("No such person: %(names)s") % {"names": ", ".join(missing)}
            )
        return [found[name] for name in dict.fromkeys(names)]


class TargetForm(forms.Form):
    """Who: people, a team, a location or a role (exactly one)."""

    team = CodeChoiceField(Team.objects.all(), label=_("Team"), required=False)
    location = CodeChoiceField(Location.objects.all(), label=_("Location"), required=False)
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", "---------"), *Role.choices], required=False
    )
    targets = ("team", "location", "role")

    def clean(self):
        cleaned = super().clean()
        given = [name for name in self.targets if cleaned.get(name)]
        if len(given) != 1:
            raise forms.ValidationError(
                _("Choose exactly one of: %(names)s.")
                % {"names": ", ".join(str(self.fields[name].label) for name in self.targets)}
            )
        return cleaned


class AssignForm(TargetForm):
    module = CodeChoiceField(Module.objects.filter(is_active=True), label=_("Module"))
    due_date = forms.DateField(
        label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    users = UsernamesField(
        label=_("People (usernames)"), required=False, help_text=_("Separated by spaces or commas.")
    )
    targets = ("users", "team", "location", "role")
    field_order = ["module", "due_date", "users", "team", "location", "role"]

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due


class RuleForm(TargetForm):
    module = CodeChoiceField(Module.objects.filter(is_active=True), label=_("Module"))
    due_in_days = forms.IntegerField(
        label=_("Due after (days)"), min_value=1, max_value=365, initial=30
    )
    field_order = ["module", "team", "location", "role", "due_in_days"]


class QuizForm(forms.Form):
    """The questions of an attempt as shown: one field per question, no answers."""

    def __init__(self, *args, questions: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        for question in questions:
            choices = [(str(c["id"]), c["text"]) for c in question["choices"]]
            if question["kind"] == QuestionKind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=choices, widget=forms.CheckboxSelectMultiple, required=False
                )
            else:
                field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, required=False)
            field.label = question["text"]
            field.kind = question["kind"]
            self.fields[f"q_{question['id']}"] = field

    def answers(self) -> dict[str, list[int]]:
        answers = {}
        for name, value in self.cleaned_data.items():
            values = value if isinstance(value, list) else [value] if value else []
            answers[name.removeprefix("q_")] = [int(v) for v in values]
        return answers


class ComplianceFilterForm(forms.Form):
    rows = forms.ChoiceField(
        label=_("Rows"),
        choices=[("team", _("Teams")), ("location", _("Locations"))],
        required=False,
    )
    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_as_of(self):
        day = self.cleaned_data.get("as_of") or timezone.localdate()
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class PeopleFilterForm(ComplianceFilterForm):
    team = CodeChoiceField(Team.objects.all(), label=_("Team"), required=False)
    location = CodeChoiceField(Location.objects.all(), label=_("Location"), required=False)
    standard = CodeChoiceField(
        Standard.objects.filter(is_active=True), label=_("Standard"), required=False
    )
    q = forms.CharField(label=_("Name or username"), max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["rows"]
