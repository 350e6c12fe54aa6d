# Django's Arabic formats have no date-and-time format, so English word order
# ("أغسطس 28, 2025, 4:45 م") would show; these follow its Arabic date format.
DATETIME_FORMAT = "j F Y، g:i A"
# Dates are written out, never as 12/01/2026 (is that December or January?): the
# short formats are the long ones.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y، g:i A"
