from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "onboarding"
    label = "onboarding"
    verbose_name = "Onboarding MPP"

    def ready(self) -> None:
        from onboarding import signals  # noqa: F401 - connects routing-cache invalidation
