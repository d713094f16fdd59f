"""What the live final's screens show, each in a constant number of queries."""

from django.utils import timezone

from judging.models import LiveFinal, LiveSlot, Review
from judging.queries import round_judges
from submissions.queries import show_judged_versions


def running_order(final) -> list[LiveSlot]:
    slots = list(LiveSlot.objects.filter(final=final).select_related("submission__team"))
    show_judged_versions([s.submission for s in slots])
    return slots


def _slot_json(slot):
    if slot is None:
        return None
    return {
        "position": slot.position,
        "submission": slot.submission_id,
        "title": str(slot.submission),
        "team": slot.submission.team.name,
    }


def live_state(round, *, organizer=False, now=None) -> dict:
    """The presenter screen's data: current and next team, timing, the server's clock (the
    countdown is computed from it, not from the screen's); for organizers, who has scored
    whom. Five queries at most."""
    now = now or timezone.now()
    final = LiveFinal.objects.filter(round=round).first()
    if final is None:
        return {"started": False, "ended": False, "order": [], "now": now.isoformat()}
    slots = running_order(final)
    by_position = {s.position: s for s in slots}
    state = {
        "started": final.position > 0,
        "ended": final.ended_at is not None,
        "position": final.position,
        "total": len(slots),
        "current": _slot_json(by_position.get(final.position)),
        "next": _slot_json(by_position.get(final.position + 1)),
        "slot_started_at": final.slot_started_at.isoformat() if final.slot_started_at else None,
        "pitch_seconds": final.pitch_seconds,
        "qa_seconds": final.qa_seconds,
        "now": now.isoformat(),
    }
    if organizer:
        state["scoring"] = who_scored_whom(round, slots)
    return state


def who_scored_whom(round, slots) -> dict:
    """{"judges": [{"id", "name"}], "rows": [{"position", "title", "states": [...]}]}: each
    judge's review state of each finalist ("submitted", "draft", "recused" or "")."""
    judges = list(round_judges(round).select_related("user").order_by("pk"))
    states = {
        (j, s): state
        for j, s, state in Review.objects.filter(round=round).values_list(
            "judge_id", "submission_id", "state"
        )
    }
    return {
        "judges": [{"id": j.pk, "name": str(j.user)} for j in judges],
        "rows": [
            {
                "position": slot.position,
                "title": str(slot.submission),
                "states": [states.get((j.pk, slot.submission_id), "") for j in judges],
            }
            for slot in slots
        ],
    }
