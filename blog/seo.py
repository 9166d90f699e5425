"""What search engines and link previews read: schema.org JSON-LD, share links."""

import json
from urllib.parse import quote, urlencode

from django.conf import settings
from django.templatetags.static import static
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

# Inside <script> only "<", ">" and "&" could end the element or start markup.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def json_for_script(data) -> str:
    """JSON that is safe between <script type="application/ld+json"> and </script>."""
    return mark_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308


def absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else settings.SITE_URL + path


def article_json_ld(post) -> str:
    url = absolute(post.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": post.title[:110],
        "description": post.summary,
        "inLanguage": post.language,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": (post.published_at or post.changed_at).isoformat(),  # a draft (in its preview) has no time yet
        "dateModified": post.changed_at.isoformat(),
        "wordCount": post.word_count,
        "timeRequired": f"PT{post.reading_minutes}M",
        "publisher": {
            "@type": "Organization",
            "name": settings.STUDIO["name"],
            "url": settings.SITE_URL + "/",
            "logo": {"@type": "ImageObject", "url": absolute(static("img/tree.svg"))},
        },
    }
    if post.author:
        data["author"] = {"@type": "Person", "name": post.author.name}
    else:
        data["author"] = {"@type": "Organization", "name": settings.STUDIO["name"]}
    if post.cover:
        data["image"] = [absolute(post.cover.get("large") or post.cover["src"])]
    keywords = [tag.name for tag in post.tags.all()]
    if keywords:
        data["keywords"] = keywords
    sections = [category.name for category in post.categories.all()]
    if sections:
        data["articleSection"] = sections
    if post.source_list:
        data["citation"] = post.source_list
    if post.audio:
        data["audio"] = {"@type": "AudioObject", "name": post.audio_title or post.title, "contentUrl": absolute(post.audio.url)}
    return json_for_script(data)


def share_links(post) -> list[dict]:
    """Plain links to share a post: no third-party script, button or tracker on the page."""
    url = absolute(post.get_absolute_url())
    title = post.title
    return [
        {"key": "email", "label": _("Email"), "href": "mailto:?" + urlencode({"subject": title, "body": url}, quote_via=quote)},
        {"key": "whatsapp", "label": "WhatsApp", "href": "https://wa.me/?" + urlencode({"text": f"{title} {url}"}, quote_via=quote)},
        {"key": "facebook", "label": "Facebook", "href": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})},
        {"key": "linkedin", "label": "LinkedIn", "href": "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})},
        {"key": "bluesky", "label": "Bluesky", "href": "https://bsky.app/intent/compose?" + urlencode({"text": f"{title} {url}"}, quote_via=quote)},
    ]
