"""The staff back-office: what the Django admin adds for AnciLab's week (dashboard, exports, attendance, messages,
roles, MFA for staff, GDPR). The ModelAdmins live in each app's admin.py and call into this package."""
