"""Background work of onboarding. These tasks run in ``public`` (they create and drop region
schemas), so they are plain tasks, not region tasks.

``acks_late`` with ``reject_on_worker_lost``: if the worker is killed mid-pipeline the broker
hands the task out again, and the pipeline resumes from the step that was interrupted.
"""

from celery import shared_task

from onboarding.provisioning.pipeline import PROVISION, pipeline_run


@shared_task(name="onboarding.run_pipeline", acks_late=True, reject_on_worker_lost=True)
def run_pipeline(*, onboarding_id: int, pipeline: str = PROVISION, actor_id: int | None = None):
    from shared.accounts.models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return pipeline_run(onboarding_id=onboarding_id, pipeline=pipeline, actor=actor)
