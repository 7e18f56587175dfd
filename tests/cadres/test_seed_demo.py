"""seed_demo finds each app's demo loader through the app registry."""

from cadres.management.commands.seed_demo import demo_loaders


def test_every_app_with_demo_content_loads_in_dependency_order():
    modules = [load.__module__ for load in demo_loaders()]
    assert modules == [
        "cadres.demo",
        "courses.demo",
        "assessments.demo",
        "trainings.demo",
        "certificates.demo",
        "reports.demo",
    ]
