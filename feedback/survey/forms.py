from django import forms
from django.utils.translation import gettext_lazy as _

from feedback.models import SOURCE_MAX, SurveyImport


class SurveyImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,
        help_text=_(
            "CSV with a header row, or an Excel workbook (.xlsx). Columns: source, "
            "external_id, metric, score, responded_at, channel, location, team, category, "
            "comment, language."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,text/csv"}),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=SOURCE_MAX,
        required=False,
        help_text=_("For rows without one, e.g. qualtrics or ivr."),
    )
    encoding = forms.ChoiceField(
        label=_("Encoding (CSV)"),
        choices=SurveyImport.Encoding.choices,
        initial=SurveyImport.Encoding.UTF8,
    )
    on_error = forms.ChoiceField(
        label=_("Bad rows"),
        choices=SurveyImport.OnError.choices,
        initial=SurveyImport.OnError.ABORT,
        widget=forms.RadioSelect,
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and show the counts, write nothing"), required=False
    )
