"""What the analytics API answers, for the OpenAPI schema. The views answer the result
objects' ``as_dict()``; these classes only describe it (and the tests hold the two
to each other through the schema)."""

from rest_framework import serializers


def _number(**kwargs):
    return serializers.FloatField(allow_null=True, **kwargs)


class FigureSerializer(serializers.Serializer):
    n = serializers.IntegerField()
    value = _number()
    low = _number()
    high = _number()
    mean = _number()
    suppressed = serializers.BooleanField()


class EstimateSerializer(serializers.Serializer):
    value = _number()
    low = _number()
    high = _number()
    p_value = _number()


class PointSerializer(FigureSerializer):
    period_start = serializers.DateField()


class SeriesSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True)
    label = serializers.CharField()
    points = PointSerializer(many=True)


class TrendsSerializer(serializers.Serializer):
    metric = serializers.CharField()
    period = serializers.CharField()
    series = SeriesSerializer(many=True)


class MoverSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True)
    label = serializers.CharField()
    current = FigureSerializer()
    previous = FigureSerializer()
    difference = _number()
    p_value = _number()
    q_value = _number()
    significant = serializers.BooleanField()


class MoversSerializer(serializers.Serializer):
    metric = serializers.CharField()
    period = serializers.CharField()
    current_start = serializers.DateField()
    previous_start = serializers.DateField()
    groups = MoverSerializer(many=True)


class ChannelFigureSerializer(FigureSerializer):
    key = serializers.CharField()


class ConsistencyPeriodSerializer(serializers.Serializer):
    period_start = serializers.DateField()
    channels = ChannelFigureSerializer(many=True)
    spread = _number()
    leading = serializers.CharField(allow_null=True)
    lagging = serializers.CharField(allow_null=True)
    chi2 = _number()
    p_value = _number()


class ConsistencySerializer(serializers.Serializer):
    metric = serializers.CharField()
    period = serializers.CharField()
    periods = ConsistencyPeriodSerializer(many=True)


class SurveyCommentSerializer(serializers.Serializer):
    comment = serializers.CharField()
    metric = serializers.CharField()
    score = serializers.IntegerField()
    date = serializers.DateField()
    location = serializers.CharField()
    language = serializers.CharField(allow_blank=True)


class EvidenceSerializer(serializers.Serializer):
    comments = SurveyCommentSerializer(many=True)
    matching = FigureSerializer()
    overall = FigureSerializer()
    to = serializers.DateField()
    vars()["from"] = serializers.DateField()


class ControlSerializer(serializers.Serializer):
    locations = serializers.IntegerField(help_text="How many control locations.")
    codes = serializers.ListField(
        child=serializers.CharField(), help_text="Only those the viewer may see."
    )
    before = FigureSerializer()
    after = FigureSerializer()


class PlaceboSerializer(serializers.Serializer):
    locations = serializers.IntegerField()
    p_value = serializers.FloatField()


class ImpactSerializer(serializers.Serializer):
    before = FigureSerializer()
    after = FigureSerializer()
    difference = EstimateSerializer()
    control = ControlSerializer()
    did = EstimateSerializer()
    placebo = PlaceboSerializer(allow_null=True)
    verdict = serializers.ChoiceField(
        choices=["not_enough_data", "improved", "worse", "no_detectable_change"]
    )
    implemented_at = serializers.DateField()
    weeks = serializers.IntegerField()


class TeamPointSerializer(serializers.Serializer):
    team = serializers.CharField()
    label = serializers.CharField()
    members = serializers.IntegerField()
    compliance = serializers.FloatField(help_text="Percent of members compliant, 0–100.")
    csat = FigureSerializer()


class ExcludedSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    too_few_members = serializers.IntegerField()
    too_few_responses = serializers.IntegerField()


class TrainingSerializer(serializers.Serializer):
    teams = TeamPointSerializer(many=True)
    excluded = ExcludedSerializer()
    rho = _number()
    p_value = _number()
    n = serializers.IntegerField()
    warning = serializers.CharField(allow_null=True)
    to = serializers.DateField()
    as_of = serializers.DateField()
    vars()["from"] = serializers.DateField()


class WarningSerializer(serializers.Serializer):
    channel = serializers.CharField()
    channel_label = serializers.CharField()
    category = serializers.CharField()
    category_label = serializers.CharField()
    week = serializers.DateField()
    csat = FigureSerializer()
    limit = serializers.FloatField()
    baseline = serializers.FloatField()
    insights = serializers.IntegerField()
    insights_mean = serializers.FloatField()
    insight_ids = serializers.ListField(child=serializers.IntegerField())


class WarningsSerializer(serializers.Serializer):
    warnings = WarningSerializer(many=True)
