"""factory-boy factories for every model."""

import factory
from django.contrib.auth import get_user_model

from studio.models import Page


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"client{n}@example.nl")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    language = "nl"
    password = factory.PostGenerationMethodCall("set_password", "rustig-ademen-42")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """Give the user a verified primary email, as allauth expects after signup."""
        if not create:
            return
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(
            user=obj, email=obj.email, defaults={"primary": True, "verified": extracted is not False}
        )
        obj.save()


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page
        django_get_or_create = ["key"]

    key = Page.Key.PRIVACY
    title_nl = "Privacyverklaring"
    title_en = "Privacy statement"
    body_nl = "## Wat we bewaren\n\nAlleen wat nodig is."
    body_en = "## What we keep\n\nOnly what is needed."
