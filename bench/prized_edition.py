"""The edition the results benches time: the jury's synthetic edition (`generate_edition`)
shown in full as a real one, with an award policy and 6 prizes (an overall prize of 3 places
and one per challenge), ranked on its round. For `results_compute.py` and `page_speed.py`."""


def prized_edition(*, submissions, judges, slug, k=3, seed=2026):
    """(edition, round) in the bench's throwaway database; call after django.setup()."""
    from hackqc.models import Edition
    from judging.generate import generate_edition
    from judging.results.models import AwardPolicy, Prize

    generated = generate_edition(submissions=submissions, judges=judges, k=k, seed=seed, slug=slug)
    edition, round_ = generated.edition, generated.round
    # The benches time the public pages, in a throwaway database: show the generated edition.
    Edition.objects.filter(pk=edition.pk).update(show_full_ranking=True, is_synthetic=False)
    edition.refresh_from_db()
    AwardPolicy.objects.create(edition=edition, require_repository=False, require_licence=False)
    Prize.objects.create(edition=edition, name="Grand prix", places=3, priority=1, round=round_)
    for challenge in edition.challenges.order_by("number"):
        Prize.objects.create(
            edition=edition,
            name=f"Prix défi {challenge.number}",
            priority=challenge.number + 1,
            round=round_,
            eligibility="challenge",
            challenge=challenge,
        )
    return edition, round_
