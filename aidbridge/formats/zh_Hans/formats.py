# Statistics in China group digits by three with commas (20,000 households), not Django's
# default of no separator.
from django.conf.locale.zh_Hans.formats import *  # noqa: F403

NUMBER_GROUPING = 3
THOUSAND_SEPARATOR = ","
