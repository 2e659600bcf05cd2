"""Public iCalendar files (one meeting, a lab, every upcoming meeting) from labs.calendar, read by icalendar AND
vobject; and Meeting.sequence, bumped on every save path that moves a meeting."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import vobject
from django.urls import reverse
from icalendar import Calendar

from core.validators import PLAUSIBLE_YEARS
from labs import calendar
from labs.models import Meeting
from tests.factories import LabFactory, MeetingFactory, VenueFactory
from tests.support.forms import form_data
from tests.support.ical import read_both

pytestmark = pytest.mark.django_db
ROME = ZoneInfo("Europe/Rome")
SECRET = "https://meet.example.org/segreto-123"
SUMMER = datetime.datetime(2031, 6, 10, 9, 30, tzinfo=ROME)
WINTER = datetime.datetime(2031, 1, 14, 9, 30, tzinfo=ROME)


def _unfolded(response) -> str:
    return response.content.decode().replace("\r\n ", "")


def _public_files(client, meeting: Meeting) -> dict[str, bytes]:
    return {
        "meeting": client.get(reverse("labs:meeting_ics", args=[meeting.pk])).content,
        "lab": client.get(reverse("labs:lab_ics", args=[meeting.lab.slug])).content,
        "global": client.get(reverse("labs:calendar")).content,
    }


def test_meeting_file_fields(client):
    lab = LabFactory(title="Beni culturali")
    meeting = MeetingFactory(
        lab=lab,
        title="Primo incontro",
        starts_at=datetime.datetime(2030, 11, 3, 9, 30, tzinfo=ROME),
        ends_at=datetime.datetime(2030, 11, 3, 13, 30, tzinfo=ROME),
        format=Meeting.Format.HYBRID,
    )
    response = client.get(reverse("labs:meeting_ics", args=[meeting.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="incontro-{meeting.pk}.ics"'
    text = _unfolded(response)
    assert "DTSTART;TZID=Europe/Rome:20301103T093000" in text
    assert "DTEND;TZID=Europe/Rome:20301103T133000" in text
    assert "SUMMARY:Beni culturali: Primo incontro" in text
    assert (
        "LOCATION:La Casa dei Comuni\\, Via Rovello 2\\, Milano – Online (il link arriva agli iscritti via email)"
        in text
    )
    assert f"UID:meeting-{meeting.pk}@ancilab.it" in text
    assert "STATUS:CONFIRMED" in text
    assert "SEQUENCE:0" in text
    assert "METHOD:PUBLISH" in text
    assert "segreto" not in text


def test_the_vtimezone_has_yearly_summer_and_winter_rules(client):
    meeting = MeetingFactory(starts_at=SUMMER)
    vtimezone = Calendar.from_ical(client.get(reverse("labs:meeting_ics", args=[meeting.pk])).content).walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in vtimezone] == ["Europe/Rome"]
    rules = {sub.name: sub["RRULE"].to_ical().decode() for sub in vtimezone[0].subcomponents}
    assert rules == {"DAYLIGHT": "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", "STANDARD": "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"}


@pytest.mark.parametrize("which", ["meeting", "lab", "global"])
def test_summer_and_winter_meetings_read_9_30_in_both_libraries(client, which):
    lab = LabFactory(slug="stagioni")
    summer = MeetingFactory(lab=lab, starts_at=SUMMER, ends_at=SUMMER + datetime.timedelta(hours=4))
    winter = MeetingFactory(lab=lab, starts_at=WINTER, ends_at=WINTER + datetime.timedelta(hours=4))
    files = {
        "meeting": [_public_files(client, summer)["meeting"], _public_files(client, winter)["meeting"]],
        "lab": [_public_files(client, summer)["lab"]],
        "global": [_public_files(client, summer)["global"]],
    }[which]
    starts = {}
    for content in files:
        for event in read_both(content):
            starts[event["uid"]] = (event["start_icalendar"], event["start_vobject"], event["end_vobject"])
    assert starts == {
        calendar.meeting_uid(summer): ("2031-06-10 09:30", "2031-06-10 09:30", "2031-06-10 13:30"),
        calendar.meeting_uid(winter): ("2031-01-14 09:30", "2031-01-14 09:30", "2031-01-14 13:30"),
    }


def test_a_past_summer_meeting_reads_9_30_in_vobject_too(client):
    """The reported case: 28/09/2021 at 9:30 came out at 10:30 in vobject."""
    meeting = MeetingFactory(starts_at=datetime.datetime(2021, 9, 28, 9, 30, tzinfo=ROME))
    (event,) = read_both(client.get(reverse("labs:meeting_ics", args=[meeting.pk])).content)
    assert (event["start_icalendar"], event["start_vobject"]) == ("2021-09-28 09:30", "2021-09-28 09:30")


def test_the_vtimezone_rules_match_the_tz_database_in_every_plausible_year():
    """The VTIMEZONE read on its own (vobject, and icalendar without looking the TZID up) gives Rome's offset in
    every year a meeting may have: mid-winter, mid-summer, and on both sides of each change of time (always on the
    last Sunday of March or October, at 01:00 UTC)."""
    text = calendar.calendar_bytes([], name="x").decode()
    by_vobject = vobject.readOne(text).vtimezone.gettzinfo()
    by_icalendar = Calendar.from_ical(text).walk("VTIMEZONE")[0].to_tz(lookup_tzid=False)
    moments = []
    for year in PLAUSIBLE_YEARS:
        moments += [datetime.datetime(year, 1, 15, 12, tzinfo=datetime.UTC)]
        moments += [datetime.datetime(year, 7, 15, 12, tzinfo=datetime.UTC)]
        for month in (3, 10):
            for day in range(24, 32):
                for hour in (0, 1):
                    moments.append(datetime.datetime(year, month, day, hour, 30, tzinfo=datetime.UTC))
    wrong = [
        (reader, moment)
        for moment in moments
        for reader, tz in (("vobject", by_vobject), ("icalendar", by_icalendar))
        if moment.astimezone(tz).utcoffset() != moment.astimezone(ROME).utcoffset()
    ]
    assert (len(moments), wrong) == (len(PLAUSIBLE_YEARS) * 34, [])


def test_two_downloads_are_identical_and_stamped_with_the_last_change(client):
    meeting = MeetingFactory(starts_at=SUMMER)
    url = reverse("labs:meeting_ics", args=[meeting.pk])
    first = client.get(url).content
    assert client.get(url).content == first
    event = Calendar.from_ical(first).walk("VEVENT")[0]
    last_change = meeting.updated_at.astimezone(datetime.UTC).replace(microsecond=0)
    assert (event.decoded("DTSTAMP"), event.decoded("LAST-MODIFIED")) == (last_change, last_change)
    assert f"DTSTAMP:{last_change:%Y%m%dT%H%M%S}Z" in first.decode()


def test_lab_file_has_every_dated_meeting_in_order(client):
    lab = LabFactory(title="Beni culturali", slug="beni")
    MeetingFactory(lab=lab, title="Due", starts_at=datetime.datetime(2030, 12, 1, 14, 0, tzinfo=ROME))
    MeetingFactory(lab=lab, title="Uno", starts_at=datetime.datetime(2030, 11, 3, 9, 30, tzinfo=ROME))
    MeetingFactory(lab=lab, title="Da fissare", starts_at=None, ends_at=None)
    parsed = Calendar.from_ical(client.get(reverse("labs:lab_ics", args=["beni"])).content)
    events = parsed.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Beni culturali: Uno", "Beni culturali: Due"]
    assert events[1].decoded("DTSTART") == datetime.datetime(2030, 12, 1, 14, 0, tzinfo=ROME)
    assert str(parsed["X-WR-CALNAME"]) == "Beni culturali"


def test_global_calendar_lists_future_public_meetings_and_marks_cancelled_ones(client):
    MeetingFactory(title="Futuro", starts_at=datetime.datetime(2030, 11, 3, 9, 30, tzinfo=ROME))
    MeetingFactory(title="Passato", starts_at=datetime.datetime(2020, 11, 3, 9, 30, tzinfo=ROME))
    MeetingFactory(title="Annullato", starts_at=datetime.datetime(2030, 11, 4, 9, 30, tzinfo=ROME), cancelled=True)
    MeetingFactory(title="Senza data", starts_at=None, ends_at=None)
    MeetingFactory(
        title="Nascosto", lab=LabFactory(published=False), starts_at=datetime.datetime(2030, 11, 5, tzinfo=ROME)
    )
    events = read_both(client.get(reverse("labs:calendar")).content)
    assert [(e["summary"].split(": ")[1], e["status"]) for e in events] == [
        ("Futuro", "CONFIRMED"),
        ("Annullato", "CANCELLED"),
    ]
    assert events[1]["summary"].startswith("Annullato – ")


def test_global_calendar_without_meetings_is_still_a_valid_calendar(client):
    response = client.get(reverse("labs:calendar"))
    parsed = Calendar.from_ical(response.content)
    assert (parsed.walk("VEVENT"), [str(tz["TZID"]) for tz in parsed.walk("VTIMEZONE")]) == ([], ["Europe/Rome"])
    assert vobject.readOne(response.content.decode()).vtimezone.tzid.value == "Europe/Rome"


def test_a_cancelled_meeting_is_cancelled_in_every_public_file(client):
    meeting = MeetingFactory(starts_at=SUMMER, cancelled=True)
    for name, content in _public_files(client, meeting).items():
        assert [(e["uid"], e["status"]) for e in read_both(content)] == [
            (calendar.meeting_uid(meeting), "CANCELLED")
        ], name


def test_a_sample_date_is_tentative_and_says_so(client):
    meeting = MeetingFactory(title="Primo", lab=LabFactory(title="Lab"), starts_at=SUMMER, is_sample=True)
    for name, content in _public_files(client, meeting).items():
        (event,) = read_both(content)
        assert (event["status"], event["summary"]) == ("TENTATIVE", "Lab: Primo (data di esempio)"), name
        description = str(Calendar.from_ical(content).walk("VEVENT")[0]["DESCRIPTION"])
        assert description.startswith("La data è un esempio plausibile, non una data annunciata."), name


def test_public_files_never_carry_the_online_link(client):
    meeting = MeetingFactory(starts_at=SUMMER, format=Meeting.Format.HYBRID)
    online = MeetingFactory(lab=meeting.lab, starts_at=WINTER, format=Meeting.Format.ONLINE, venue=None)
    for name, content in _public_files(client, meeting).items():
        assert b"segreto" not in content.replace(b"\r\n ", b""), name
    text = _unfolded(client.get(reverse("labs:meeting_ics", args=[online.pk])))
    assert "LOCATION:Online (il link arriva agli iscritti via email)" in text
    assert "meet.example.org" not in text


def test_a_title_with_a_newline_gives_a_valid_one_line_summary(client):
    meeting = MeetingFactory(title="Primo\nincontro", lab=LabFactory(title="Lab\r\nBeni"), agenda="Riga 1\r\nRiga 2")
    for name, content in _public_files(client, meeting).items():
        (event,) = read_both(content)
        assert (event["summary"], event["summary_vobject"]) == ("Lab Beni: Primo incontro",) * 2, name
    event = Calendar.from_ical(_public_files(client, meeting)["meeting"]).walk("VEVENT")[0]
    assert str(event["DESCRIPTION"]).startswith("Riga 1\nRiga 2\n\n")
    assert client.get(reverse("labs:meeting_detail", args=[meeting.pk])).status_code == 200


def test_a_dateless_meeting_has_no_calendar_file_nor_link(client):
    lab = LabFactory(slug="da-fissare")
    meeting = MeetingFactory(lab=lab, starts_at=None, ends_at=None, venue=None)
    assert client.get(reverse("labs:meeting_ics", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("labs:lab_ics", args=["da-fissare"])).status_code == 404
    meeting_page = client.get(reverse("labs:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Da definire" in meeting_page
    assert reverse("labs:meeting_ics", args=[meeting.pk]) not in meeting_page
    assert "Aggiungi al calendario" not in meeting_page
    lab_page = client.get(reverse("labs:detail", args=["da-fissare"])).content.decode()
    assert reverse("labs:lab_ics", args=["da-fissare"]) not in lab_page


def test_dated_meetings_link_their_files(client):
    meeting = MeetingFactory(lab=LabFactory(slug="con-date"), starts_at=SUMMER)
    meeting_page = client.get(reverse("labs:meeting_detail", args=[meeting.pk])).content.decode()
    assert f'href="{reverse("labs:meeting_ics", args=[meeting.pk])}"' in meeting_page
    lab_page = client.get(reverse("labs:detail", args=["con-date"])).content.decode()
    assert f'href="{reverse("labs:lab_ics", args=["con-date"])}"' in lab_page


def test_ics_of_unpublished_lab_is_404(client):
    meeting = MeetingFactory(lab=LabFactory(published=False, slug="nascosto"))
    assert client.get(reverse("labs:meeting_ics", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("labs:lab_ics", args=["nascosto"])).status_code == 404


# SEQUENCE: one more whenever what a calendar shows of the meeting's time or place changes, whatever saves it.


@pytest.mark.parametrize(
    "change",
    [
        {"starts_at": SUMMER + datetime.timedelta(hours=1)},
        {"ends_at": SUMMER + datetime.timedelta(hours=5)},
        {"format": Meeting.Format.HYBRID},
        {"online_url": "https://meet.example.org/nuovo"},
        {"cancelled": True},
    ],
    ids=lambda change: next(iter(change)),
)
def test_a_plain_save_that_moves_the_meeting_bumps_the_sequence(change):
    meeting = MeetingFactory(starts_at=SUMMER)
    meeting = Meeting.objects.get(pk=meeting.pk)
    for name, value in change.items():
        setattr(meeting, name, value)
    meeting.save()
    assert Meeting.objects.get(pk=meeting.pk).sequence == 1
    meeting.save()  # saved again unchanged: no new revision
    assert (meeting.sequence, Meeting.objects.get(pk=meeting.pk).sequence) == (1, 1)
    assert meeting.history.order_by("history_id").last().sequence == 1


def test_moving_to_another_venue_bumps_the_sequence_and_the_file_says_so(client):
    meeting = MeetingFactory(starts_at=SUMMER)
    meeting.venue = VenueFactory(slug="altra-sede", name="Palazzo Lombardia")
    meeting.save()
    meeting.title = "Solo il titolo"  # not a move: no new revision
    meeting.save()
    (event,) = read_both(client.get(reverse("labs:meeting_ics", args=[meeting.pk])).content)
    assert event["sequence"] == 1


def test_a_save_of_other_fields_only_does_not_bump_the_sequence():
    meeting = Meeting.objects.get(pk=MeetingFactory(starts_at=SUMMER).pk)
    meeting.starts_at = WINTER  # changed in memory, but not written by this save
    meeting.title = "Nuovo titolo"
    meeting.save(update_fields=["title", "updated_at"])
    assert Meeting.objects.get(pk=meeting.pk).sequence == 0
    meeting.save(update_fields=["starts_at"])
    assert Meeting.objects.values_list("sequence", "starts_at").get(pk=meeting.pk) == (1, WINTER)


def test_the_admin_change_form_bumps_the_sequence_only_when_the_time_changes(admin_client):
    meeting = MeetingFactory(starts_at=SUMMER, ends_at=SUMMER + datetime.timedelta(hours=4))
    url = reverse("admin:labs_meeting_change", args=[meeting.pk])
    data = form_data(admin_client.get(url).content.decode(), "meeting_form")
    assert data["starts_at_1"] == "09:30:00"

    response = admin_client.post(url, {**data, "title": "Titolo nuovo"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Meeting.objects.values_list("title", "sequence").get(pk=meeting.pk) == ("Titolo nuovo", 0)

    response = admin_client.post(url, {**data, "title": "Titolo nuovo", "starts_at_1": "10:00"})
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.sequence) == (SUMMER + datetime.timedelta(minutes=30), 1)


def test_the_lab_inline_bumps_the_sequence_when_a_meeting_is_cancelled(admin_client):
    meeting = MeetingFactory(starts_at=SUMMER)
    other = MeetingFactory(lab=meeting.lab, starts_at=WINTER)
    url = reverse("admin:labs_lab_change", args=[meeting.lab.pk])
    data = form_data(admin_client.get(url).content.decode(), "lab_form")
    index = next(key.split("-")[1] for key, value in data.items() if key.endswith("-id") and value == str(meeting.pk))
    response = admin_client.post(url, {**data, f"meetings-{index}-cancelled": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert dict(Meeting.objects.values_list("pk", "sequence")) == {meeting.pk: 1, other.pk: 0}
    assert Meeting.objects.get(pk=meeting.pk).cancelled
