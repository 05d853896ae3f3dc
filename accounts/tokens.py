"""The one-time activation link: Django's reset token under its own salt, so an activation
link is not a reset link and the other way round. Like a reset token, it stops working once
the password is set (the hash covers it) and after PASSWORD_RESET_TIMEOUT."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.tokens.ActivationTokenGenerator"


activation_token = ActivationTokenGenerator()
