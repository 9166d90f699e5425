"""A post can carry an audio file (the free Yoga Nidra body scan) with an accessible player."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from blog.models import Post
from tests.blog.factories import PostFactory
from tests.factories import TeacherFactory, UserFactory

pytestmark = pytest.mark.django_db

MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 64


def with_audio(**fields):
    post = PostFactory(language="en", audio_title="Yoga Nidra body scan (10 minutes)", **fields)
    post.audio.save("bodyscan.mp3", ContentFile(MP3))
    return post


def test_the_player_goes_where_the_text_says_audio(client):
    post = with_audio(body="Lie down comfortably.\n\n[audio]\n\nListen whenever you like.")
    html = client.get(post.get_absolute_url()).content.decode()
    player = html.index('<figure class="post-audio">')
    assert html.index("Lie down comfortably.") < player < html.index("Listen whenever you like.")
    assert "[audio]" not in html
    assert '<figcaption id="post-audio-title">Yoga Nidra body scan (10 minutes)</figcaption>' in html
    assert f'<audio controls preload="none" aria-labelledby="post-audio-title" src="{post.audio.url}">' in html
    assert f'<a href="{post.audio.url}" download>Download the audio file</a>' in html
    assert html.count('class="post-audio"') == 1


def test_without_a_marker_the_player_follows_the_text_with_its_transcript(client):
    post = with_audio(body="A text without a marker.", audio_transcript="Breathe in... and **out**.")
    html = client.get(post.get_absolute_url()).content.decode()
    assert html.index("A text without a marker.") < html.index('<figure class="post-audio">')
    assert "<summary>Read the transcript</summary><p>Breathe in... and <strong>out</strong>.</p>" in html


def test_a_marker_without_audio_leaves_no_trace(client):
    post = PostFactory(body="Before.\n\n[audio]\n\nAfter.")
    html = client.get(post.get_absolute_url()).content.decode()
    assert "[audio]" not in html and "post-audio" not in html


def test_an_upload_that_is_not_audio_is_refused_in_the_admin():
    staff = Client()
    staff.force_login(UserFactory(email="beheer@example.nl", is_staff=True, is_superuser=True))
    response = staff.post(reverse("admin:blog_post_add"), {
        "title": "Rust", "slug": "rust", "language": "nl", "author": TeacherFactory().pk, "body": "Tekst.",
        "status": "draft", "published_at_0": "", "published_at_1": "",
        "audio": SimpleUploadedFile("bodyscan.exe", b"MZ\x90\x00", content_type="application/octet-stream"),
    })
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()["audio"]
    assert errors[0].code == "invalid_extension"
    assert Post.objects.count() == 0
