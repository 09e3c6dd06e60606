"""Official contact details: a force e-mail, a team landline or 101; anything that looks personal is refused."""

from __future__ import annotations

import pytest

from rpdesk.domain.contacts import ContactError, from_free_text, official_email, official_phone, printed

PRIVATE = "PRIVATE-MOBILE 07700 900999 home 12 Acacia Ave"


@pytest.mark.parametrize("check", [lambda v: official_email(v, "police.uk"), official_phone])
def test_a_private_looking_contact_is_refused_as_email_and_as_phone(check):
    with pytest.raises(ContactError):
        check(PRIVATE)


def test_a_force_address_is_kept_with_its_domain_lower_cased():
    assert official_email(" Ashfield.SNT@Dyfed-Powys.Police.UK ", "dyfed-powys.police.uk") == (
        "Ashfield.SNT@dyfed-powys.police.uk"
    )
    assert official_email("a.b@met.police.uk", "police.uk") == "a.b@met.police.uk"  # the default admits any force
    assert official_email("", "police.uk") is None


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("jo.turner@gmail.com", "not a force address"),
        ("snt@police.uk.evil.com", "not a force address"),
        ("snt@notpolice.uk", "not a force address"),
        ("snt@met.police.uk", "not a force address"),  # another force, when the setting names ours
        ("PC Jo Turner", "not an e-mail address"),
    ],
)
def test_other_addresses_are_refused_saying_what_is_expected(address, why):
    with pytest.raises(ContactError, match=why) as caught:
        official_email(address, "dyfed-powys.police.uk")
    assert "@dyfed-powys.police.uk" in str(caught.value)


@pytest.mark.parametrize(
    ("number", "kept"),
    [
        ("101", "101"),
        ("01632  960000", "01632 960000"),
        ("0300 123 4567", "0300 123 4567"),
        ("+44 20 7946 0000", "+44 20 7946 0000"),
    ],
)
def test_101_and_team_landlines_are_accepted(number, kept):
    assert official_phone(number) == kept


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("07700 900999", "mobile"),
        ("+44 7700 900999", "mobile"),
        ("0800 555 111 ext 4", "not a phone number"),
        ("0123", "not a UK landline"),
        ("0900 123456", "not a UK landline"),
    ],
)
def test_mobiles_and_odd_numbers_are_refused(number, why):
    with pytest.raises(ContactError, match=why):
        official_phone(number)


@pytest.mark.parametrize(
    ("old", "kept"),
    [
        (PRIVATE, (None, None)),
        ("ashfield.snt@demo.police.uk", ("ashfield.snt@demo.police.uk", None)),
        ("Jo's home 07700 900999, work jo.turner@demo.police.uk", ("jo.turner@demo.police.uk", None)),
        ("jo@gmail.com", (None, None)),
        ("01632 960000", (None, "01632 960000")),
        ("call 01632 960000 or home", (None, None)),  # a number beside other words may be anybody's
        (None, (None, None)),
    ],
)
def test_only_official_details_are_kept_from_old_free_text(old, kept):
    assert from_free_text(old, "police.uk") == kept


def test_a_document_prints_email_then_phone_or_nothing():
    assert printed("a@x.police.uk", "101") == "a@x.police.uk · 101"
    assert printed(None, None) is None
