# Django's Arabic formats have no date-and-time format, so English word order
# ("أغسطس 28, 2025, 4:45 م") would show; these follow its Arabic date format.
DATETIME_FORMAT = "j F Y، g:i A"
SHORT_DATETIME_FORMAT = "d/m/Y g:i A"
