from django import forms
from django.utils.translation import gettext_lazy as _

from feedback.models import TEXT_MAX, TITLE_MAX, Category, Frequency, Impact, Privacy, Status
from feedback.selectors import served_channels
from portal.models import Channel, Department, Location, User
from portal.request_input import ids_from
from portal.selectors import managers
from training.models import Standard


class CodeChoiceField(forms.ModelChoiceField):
    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("to_field_name", "code")
        super().__init__(queryset, **kwargs)

    def label_from_instance(self, obj):
        return obj.name


PRIVACY_HELP = {
    Privacy.NAMED: _("Your name is shown to people who can see the insight."),
    Privacy.ANONYMOUS: _("Nobody, managers included, will ever see that it was you."),
    Privacy.CONFIDENTIAL: _("Only you and the managers responsible for the location see it."),
    Privacy.ANONYMOUS_CONFIDENTIAL: _(
        "Only the managers responsible see it, and not even they see that it was you."
    ),
}


class InsightForm(forms.Form):
    title = forms.CharField(
        label=_("In a few words, what is the problem?"),
        max_length=TITLE_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "auto"}),
    )
    pain_point = forms.CharField(
        label=_("What did the customer experience?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )
    suggested_fix = forms.CharField(
        label=_("What would fix it? (optional)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    channel = CodeChoiceField(Channel.objects.filter(is_active=True), label=_("Channel"))
    category = CodeChoiceField(Category.objects.filter(is_active=True), label=_("Category"))
    location = CodeChoiceField(Location.objects.all(), label=_("Location"))
    customer_impact = forms.ChoiceField(
        label=_("Impact on the customer"), choices=Impact.choices, initial=Impact.MEDIUM
    )
    frequency = forms.ChoiceField(
        label=_("How often does it happen?"), choices=Frequency.choices, initial=Frequency.WEEKLY
    )
    standard = CodeChoiceField(
        Standard.objects.filter(is_active=True),
        label=_("Service standard it concerns (optional)"),
        required=False,
    )
    photo = forms.ImageField(
        label=_("Photo (optional)"),
        required=False,
        help_text=_("JPEG, PNG, WebP or GIF, up to 5 MB. Do not photograph customers."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    privacy = forms.ChoiceField(
        label=_("Who may know it was you?"),
        choices=Privacy.choices,
        initial=Privacy.NAMED,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user: User, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if user.location is not None:
            self.fields["location"].initial = user.location.code
        served = served_channels(user)
        if served:
            # The channel the author's team works on (the first, if it serves several).
            self.fields["channel"].initial = served[0].code
        if editing:
            # Where and how privately an insight was posted cannot change afterwards.
            del self.fields["privacy"]
            del self.fields["location"]
        if not Standard.objects.filter(is_active=True).exists():
            del self.fields["standard"]

    def privacy_help(self):
        return PRIVACY_HELP


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Add a comment"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    is_internal = forms.BooleanField(label=_("Internal (managers only)"), required=False)


class TransitionForm(forms.Form):
    """A manager moves an insight on. Only the fields that apply to the allowed
    statuses are offered; each says which status it is for (the page shows it for
    that status only when script runs, and says so in words when it does not)."""

    status = forms.ChoiceField(label=_("New status"), choices=())
    note = forms.CharField(
        label=_("Note to the submitter"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 2, "dir": "auto", "data-required-for": Status.DECLINED}
        ),
        help_text=_("Required when declining: tell the submitter why."),
    )
    duplicate_of = forms.IntegerField(
        label=_("Duplicate of insight #"),
        required=False,
        min_value=1,
        help_text=_("Only when marking it a duplicate: the number of the original."),
    )
    implemented_at = forms.DateField(
        label=_("Fix live since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only when marking it implemented; today if left empty."),
    )

    # The status each optional field belongs to; the field is left out when that
    # status cannot be chosen, and what it holds is ignored for any other status.
    APPLIES_TO = {"duplicate_of": Status.DUPLICATE, "implemented_at": Status.IMPLEMENTED}

    def __init__(self, *args, allowed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Choose a status"))] + [
            (s, Status(s).label) for s in allowed
        ]
        for name, status in self.APPLIES_TO.items():
            if status in allowed:
                self.fields[name].applies_to = status
            else:
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        for name, applies_to in self.APPLIES_TO.items():
            if name in cleaned and status != applies_to:
                cleaned[name] = None
        if status == Status.DECLINED and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Give the reason for declining."))
        return cleaned


class AssignForm(forms.Form):
    owner_department = CodeChoiceField(
        Department.objects.all(), label=_("Owner department"), required=False
    )
    assignee = forms.ModelChoiceField(
        managers(),
        label=_("Assignee"),
        required=False,
        to_field_name="username",
    )


class BulkTransitionForm(forms.Form):
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=(), label=_("Insights"))
    status = forms.ChoiceField(
        label=_("Change status to"),
        choices=[(s, label) for s, label in Status.choices if s != Status.NEW],
    )
    note = forms.CharField(label=_("Note"), max_length=TEXT_MAX, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        raw = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        self.fields["ids"].choices = [(str(i), str(i)) for i in ids_from(raw)]
