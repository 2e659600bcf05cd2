"""Staff users for the back-office tests: one per role, each with the TOTP authenticator staff must have."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User

from ancilab_portal.backoffice.security import activate_totp_for_tests


def _staff(username: str, group: str | None = None) -> User:
    user = User.objects.create_user(username, f"{username}@ancilab.example.it", "una-password-lunga-1", is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    activate_totp_for_tests(user)
    return user


@pytest.fixture
def editor(db) -> User:
    return _staff("redattrice", "Redazione")


@pytest.fixture
def secretary(db) -> User:
    return _staff("segreteria", "Segreteria iscrizioni")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def secretary_client(client, secretary):
    client.force_login(secretary)
    return client
