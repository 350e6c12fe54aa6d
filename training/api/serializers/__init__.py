"""Training in the API. Related objects are written and read by their code; a person by
their username. Staff never receive a question's answers or explanations before they
submit: modules and open attempts reach them through the ``Learner`` serializers."""

from training.api.serializers.modules import *  # noqa: F403
from training.api.serializers.records import *  # noqa: F403
from training.api.serializers.standards import *  # noqa: F403
