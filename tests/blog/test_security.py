"""Payloads in a post's text, title and in comments render harmless."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from blog.models import Comment
from tests.blog.factories import CommentFactory, PostFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert('xss')>",
    "<svg onload=alert('xss')><circle r=1></svg>",
    "<iframe src=\"javascript:alert('xss')\"></iframe>",
    "<a href=\"javascript:alert('xss')\">klik</a>",
    "<a href=\"JaVaScRiPt:alert('xss')\">klik</a>",
    "<a href=\"&#106;avascript:alert('xss')\">klik</a>",
    "[klik](javascript:alert('xss'))",
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![plaatje](x\" onerror=\"alert('xss'))",
    "<p style=\"background:url(javascript:alert('xss'))\" onclick=\"alert('xss')\">tekst</p>",
    "<object data=\"javascript:alert('xss')\"></object>",
    "<embed src=\"javascript:alert('xss')\">",
    "<form action=\"javascript:alert('xss')\"><button>go</button></form>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss')></style></mglyph></table></mtext></math>",
    "<details open ontoggle=alert('xss')>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('xss')\">",
    "<base href=\"https://evil.example/\">",
    "<link rel=stylesheet href=\"https://evil.example/x.css\">",
    "<!--<script>alert('xss')</script>-->",
    "</textarea><script>alert('xss')</script>",
    "\"><script>alert('xss')</script>",
]


class Collector(HTMLParser):
    """Every start tag with its attributes, and the text inside <script> elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.scripts = []
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append([dict(attrs), ""])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            self.scripts[-1][1] += data


def assert_harmless(html):
    page = Collector()
    page.feed(html)
    for tag, attrs in page.tags:
        assert tag not in {"iframe", "object", "embed", "svg", "math", "base", "style"}, (tag, attrs)
        assert not (tag == "meta" and "http-equiv" in attrs), attrs
        assert not (tag == "link" and "evil.example" in attrs.get("href", "")), attrs
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name, value)
            assert name != "style", (tag, attrs)
            if name in {"href", "src", "action", "data", "formaction"} and value:
                assert not re.match(r"\s*(javascript|data|vbscript):", value, re.IGNORECASE), (tag, name, value)
    for attrs, content in page.scripts:
        if attrs.get("type") == "application/ld+json":
            json.loads(content)  # data, and it must stay data
            assert "</script" not in content.lower()
        else:
            assert attrs.get("src", "").startswith("/static/") and not content.strip(), attrs
    assert "alert('xss')" not in "".join(content for attrs, content in page.scripts if attrs.get("type") != "application/ld+json")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_in_the_post_body_renders_harmless(client, payload):
    post = PostFactory(body=f"Een gewone alinea.\n\n{payload}\n\nEn verder.\n\n- lijst {payload}\n\n> {payload}")
    html = client.get(post.get_absolute_url()).content.decode()
    assert "Een gewone alinea." in html
    assert_harmless(html)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_in_a_comment_is_shown_as_plain_text(client, payload):
    post = PostFactory()
    CommentFactory(post=post, name=f"Lotte {payload}"[:80], text=f"Leuk! {payload}")
    html = client.get(post.get_absolute_url()).content.decode()
    assert_harmless(html)
    escaped = payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#x27;")
    assert f"Leuk! {escaped}" in html


def test_a_payload_in_the_title_and_excerpt_stays_inside_the_json_ld_and_meta_tags(client):
    payload = "</script><script>alert('xss')</script>\"'&"
    post = PostFactory(title=f"Titel {payload}", excerpt=f"Samenvatting {payload}", sources=f"Bron {payload}")
    html = client.get(post.get_absolute_url()).content.decode()
    assert_harmless(html)
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL).group(1))
    assert data["headline"] == f"Titel {payload}" and data["description"] == f"Samenvatting {payload}"
    assert "\\u003C/script\\u003E" in html


def test_a_comment_posted_with_a_payload_is_stored_as_text_and_escaped_in_the_admin(client):
    post = PostFactory()
    payload = "<img src=x onerror=alert('xss')>"
    client.post(f"/blog/{post.slug}/reactie/", {"name": "Bot", "email": "bot@example.nl", "text": payload, "website": ""})
    assert Comment.objects.get().text == payload
    client.force_login(UserFactory(email="beheer@example.nl", is_staff=True, is_superuser=True))
    queue = client.get(reverse("admin:blog_comment_changelist")).content.decode()
    assert "&lt;img src=x onerror=alert(&#x27;xss&#x27;)&gt;" in queue
    assert "<img src=x onerror" not in queue


def test_the_admin_preview_sanitises_too(client):
    client.force_login(UserFactory(email="beheer@example.nl", is_staff=True, is_superuser=True))
    for payload in PAYLOADS:
        html = client.post(reverse("admin:blog_post_preview"), {"body": payload}).json()["html"]
        assert_harmless(html)
