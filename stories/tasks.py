from django_tasks import task

from stories import pipeline, services


@task()
def generate_story(story_id: str) -> str:
    # Every worker sweeps for stories a crashed worker left behind before taking new work.
    services.stories_fail_stuck()
    return pipeline.run(story_id)
