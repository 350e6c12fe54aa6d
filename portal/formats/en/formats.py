# Dates are written out, never as 12/01/2026 (is that December or January?): the
# short formats are the long ones.
SHORT_DATE_FORMAT = "N j, Y"
SHORT_DATETIME_FORMAT = "N j, Y, P"
