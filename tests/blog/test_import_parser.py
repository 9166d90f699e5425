"""The parser for articles exported from the old blog (blog/importing.py); no Django needed."""

import datetime
import subprocess
import sys
from pathlib import Path

import pytest

from blog.importing import ImportedArticle, ImportFormatError, make_slug, parse_article, repair_text

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "blog" / "demo_content"
SHARED = REPO.parent / "shared" / "content"
TODAY = datetime.date(2025, 11, 1)
NBSP = "\u00a0"
GARBLED_CHARS = ("Ć", "Ʃ", "ƫ", "Ā")


def _parse(name, today=TODAY):
    return parse_article((DEMO / name).read_bytes(), today=today)


@pytest.fixture(scope="module")
def ziel():
    return _parse("spier-van-de-ziel.txt")


@pytest.fixture(scope="module")
def spanning():
    return _parse("psoas-spanning-vasthouden.txt")


def _article(*lines, title="Rust in je lijf"):
    return "\n".join([title, *lines]).encode("utf-8")


def _garble(text, code_page="cp1257"):
    """What the old site did: UTF-8 bytes read as a Windows code page."""
    chars = []
    for byte in text.encode("utf-8"):
        try:
            chars.append(bytes([byte]).decode(code_page))
        except UnicodeDecodeError:
            chars.append(chr(byte))
    return "".join(chars)


def _all_text(article: ImportedArticle) -> str:
    return "\n".join(
        [article.title, article.excerpt, article.body_markdown, *article.headings, *article.sources, article.author_name or ""]
    )


# --- the two articles -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["spier-van-de-ziel.txt", "psoas-spanning-vasthouden.txt"])
def test_demo_content_is_a_byte_identical_copy_of_the_shared_export(name):
    if not (SHARED / name).exists():
        pytest.skip("../shared/content is not next to this checkout")
    assert (DEMO / name).read_bytes() == (SHARED / name).read_bytes()


def test_titles_are_read_exactly(ziel, spanning):
    assert ziel.title == "De Spier van de Ziel: Waarom de Psoas de Sleutel is tot Minder Stress"
    assert spanning.title == "Je psoas: de spier die spanning vasthoudt (en wat je eraan kunt doen)"


def test_slugs_come_from_the_titles(ziel, spanning):
    assert ziel.slug == "de-spier-van-de-ziel-waarom-de-psoas-de-sleutel-is-tot-minder-stress"
    assert spanning.slug == "je-psoas-de-spier-die-spanning-vasthoudt-en-wat-je-eraan-kunt-doen"


def test_headings_of_spier_van_de_ziel(ziel):
    assert ziel.headings == [
        "Een Mysterieus en Krachtig Weefsel",
        "Meer Dan Een Spier: Intelligent Weefsel",
        "De Verbinding met Ons Zenuwstelsel",
        "Herken Je Deze Signalen?",
        "De Cirkel van Spanning en Adem",
        "Een Andere Benadering: Uitnodigen in Plaats van Forceren",
        "Zachte Technieken voor een Ontspannen Psoas",
        "1. Begin met Bewustzijn: Yoga Nidra Body Scan",
        "2. Constructieve Rust",
        "3. Yin Yoga Sequentie voor de Psoas",
        "4. Micro-Bewegingen",
        "5. Bewuste Ademhaling",
        "6. Trauma-Bewust Werken",
        "De Wetenschap Ondersteunt De Aanpak",
        "Onthoud: Zachtheid Boven Kracht",
    ]


def test_headings_of_psoas_spanning_vasthouden_include_questions(spanning):
    assert spanning.headings == [
        "Wat is de psoas?",
        "De psoas en stress: wat is de link?",
        "Wat gebeurt er als je psoas gespannen is?",
        "Wat heeft TRE® hiermee te maken?",
        "Wat kun je zelf doen voor een ontspannen psoas?",
        "Meer weten over TRE®?",
    ]


def test_headings_are_markdown_headings_and_numbered_steps_are_subheadings(ziel):
    body = ziel.body_markdown
    assert "\n## Een Mysterieus en Krachtig Weefsel\n" in body
    assert "\n## Herken Je Deze Signalen?\n" in body
    assert "\n### 1. Begin met Bewustzijn: Yoga Nidra Body Scan\n" in body
    assert "\n### 4. Micro-Bewegingen\n" in body
    assert "\n### 6. Trauma-Bewust Werken\n" in body


def test_questions_inside_paragraphs_are_not_headings(ziel, spanning):
    assert "Vertraagt je adem? Zakt deze meer richting je buik?" not in ziel.headings
    assert "\n\nVertraagt je adem? Zakt deze meer richting je buik?\n\n" in ziel.body_markdown
    assert "\n\nHerkenbaar? Dan is het goed mogelijk" in spanning.body_markdown


def test_plain_lists_after_a_colon_become_bullets(ziel, spanning):
    assert (
        "verzachting te brengen:\n\n"
        "- Lig op je rug met beide voeten op de grond, iets breder dan heupbreedte\n"
        "- Laat je knieën tegen elkaar aan rusten\n"
        "- Blijf hier 10-15 minuten\n"
        "- Merk op wat deze pose doet met je buikspieren, je heupen, je bekken en vooral je ademhaling\n\n"
        "Vertraagt je adem?"
    ) in ziel.body_markdown
    assert f"- Drakenpose/lunge{NBSP}(werkt op de psoas aan de voorkant van het bovenbeen)\n\nJe vindt" in ziel.body_markdown
    assert "- Werk met de intentie van uitnodigen, niet forceren\n\nAls trauma-bewust" in ziel.body_markdown
    assert (
        "Veelvoorkomende signalen zijn:\n\n- lage rugpijn of een zeurende onderrug\n"
        "- een strak, beklemmend gevoel in je buik of bekken\n"
    ) in spanning.body_markdown
    assert "- moeite met ontspannen, gronden of ‘zakken in je lijf’\n\nHerkenbaar?" in spanning.body_markdown


def test_term_and_explanation_lines_become_bullets(ziel, spanning):
    assert f"\n- Een holle onderrug{NBSP}- Een gespannen psoas kan je wervels" in ziel.body_markdown
    assert f"\n- Een gevoel van constante alertheid{NBSP}- Recent onderzoek" in ziel.body_markdown
    assert "overdreven holle rug.\n- Oppervlakkige ademhaling" in ziel.body_markdown
    # the heading right after the list ends it
    assert "in de psoas vertonen.\n\n## De Cirkel van Spanning en Adem\n" in ziel.body_markdown
    assert "\n- Minder zitten – lange periodes zitten houden de psoas kort en gespannen.\n" in spanning.body_markdown
    assert "\n- Luisteren naar je lijf – hoe voel jij je echt vandaag? Wat vraagt er aandacht?\n\nMaar als je" in (
        spanning.body_markdown
    )


def test_a_quoted_passage_becomes_a_block_quote(ziel):
    assert "\n\n> \"Niemand heeft je psoas ergens 'aangehecht' of 'geïnsereerd'," in ziel.body_markdown


def test_the_closing_and_signature_stay_together(ziel):
    assert ziel.body_markdown.endswith("\n\nMet warme groet,  \nManoek - Studio Tree Of Life\n")
    assert "Manoek - Studio Tree Of Life" not in ziel.headings


def test_the_nine_sources_in_order(ziel, spanning):
    assert len(ziel.sources) == 9
    assert ziel.sources[0].startswith("Santaguida, P.L. & McGill, S.M. (1995). Psoas Major")
    assert ziel.sources[1].startswith("Fitzpatrick")
    assert ziel.sources[3] == "Psychiatry Institute (2024). Releasing Trauma and Stress with the Psoas Muscle."
    assert ziel.sources[-1] == "Koch, L. The Psoas Book - Celebrating the Muscle of the Soul (diverse edities)."
    assert spanning.sources == []


def test_the_sources_are_kept_out_of_the_body_and_headings(ziel):
    assert "Santaguida" not in ziel.body_markdown
    assert "Bronnen" not in ziel.body_markdown
    assert "Bronnen" not in ziel.headings


def test_author_dates_and_reading_time(ziel, spanning):
    assert ziel.author_name == "Manoek Klootwijk"
    assert ziel.published_on == datetime.date(2025, 10, 21)
    assert ziel.updated_on == datetime.date(2025, 10, 22)
    assert ziel.stated_reading_minutes == 8
    assert "Manoek Klootwijk" not in ziel.body_markdown
    assert "Bijgewerkt" not in ziel.body_markdown
    assert (spanning.author_name, spanning.published_on, spanning.updated_on, spanning.stated_reading_minutes) == (
        None,
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("today", "published", "updated"),
    [
        (datetime.date(2026, 3, 1), datetime.date(2025, 10, 21), datetime.date(2025, 10, 22)),
        (datetime.date(2025, 10, 22), datetime.date(2025, 10, 21), datetime.date(2025, 10, 22)),
        (datetime.date(2025, 10, 15), datetime.date(2024, 10, 21), datetime.date(2024, 10, 22)),
        # 22 okt is still to come, so the update was last year, and so was publication
        (datetime.date(2025, 10, 21), datetime.date(2024, 10, 21), datetime.date(2024, 10, 22)),
    ],
)
def test_dates_without_a_year_are_the_latest_not_after_today(today, published, updated):
    article = _parse("spier-van-de-ziel.txt", today=today)
    assert (article.published_on, article.updated_on) == (published, updated)


def test_a_date_with_a_year_is_taken_as_written():
    article = parse_article(_article("- 3 maart 2021", "Een alinea met tekst."), today=TODAY)
    assert article.published_on == datetime.date(2021, 3, 3)


def test_29_february_goes_back_to_a_leap_year():
    article = parse_article(_article("- 29 feb", "Een alinea met tekst."), today=datetime.date(2025, 6, 1))
    assert article.published_on == datetime.date(2024, 2, 29)


@pytest.mark.parametrize("name", ["spier-van-de-ziel.txt", "psoas-spanning-vasthouden.txt"])
def test_no_garbled_character_is_left(name):
    article = _parse(name)
    text = _all_text(article)
    for char in GARBLED_CHARS:
        assert char not in text
    assert article.unrepaired == []


def test_garbled_words_are_repaired(ziel):
    body = ziel.body_markdown
    assert "Volgens Liz Koch is dit één van de weinige poses" in body
    assert "om het creëren van voorwaarden" in body
    assert "'geïnsereerd'" in body
    assert "organen beïnvloeden." in body
    assert "Laat je knieën tegen elkaar" in body
    assert "creëer ik een ruimte" in body


def test_a_garbled_no_break_space_becomes_a_no_break_space(ziel):
    body = ziel.body_markdown
    assert f"Studies tonen aan{NBSP}dat de psoas" in body
    assert f"met je psoas?{NBSP}Je bent welkom" in body
    assert f"Yoga Nidra{NBSP}is een krachtige techniek" in body
    assert body.count(NBSP) == 24  # 22 repaired, 2 that were right already


def test_correct_non_ascii_text_is_left_alone(ziel, spanning):
    original = (DEMO / "psoas-spanning-vasthouden.txt").read_text(encoding="utf-8")
    assert repair_text(original) == (original, [])
    assert "16 cm² vergeleken" in ziel.body_markdown
    assert "zo bijzonder én complex" in ziel.body_markdown
    assert f"toont aan{NBSP}dat de psoas" in ziel.body_markdown
    assert "Maar… wat is je psoas eigenlijk? En waarom wordt deze diepliggende spier vaak ‘de spier van de ziel’ genoemd?" in (
        spanning.body_markdown
    )
    assert "je hebt er twee van – één aan elke kant." in spanning.body_markdown


def test_comments_section_is_dropped(ziel, spanning):
    for article in (ziel, spanning):
        assert "Opmerkingen" not in _all_text(article)


def test_excerpt_is_the_first_paragraph_cut_on_a_word(ziel, spanning):
    assert ziel.excerpt.startswith("Voel je regelmatig spanning in je onderrug? Merk je dat stress")
    assert spanning.excerpt.startswith("Heb je weleens het gevoel dat je onderrug continu gespannen is?")
    for article in (ziel, spanning):
        assert len(article.excerpt) <= 200
        assert article.excerpt.endswith("…")
        words = article.excerpt[:-1].split()
        assert words[-1] in article.body_markdown.split()


def test_body_starts_with_the_first_paragraph(ziel, spanning):
    assert ziel.body_markdown.startswith("Voel je regelmatig spanning in je onderrug?")
    assert "\n\nLieve lezer,\n\nToen ik voor het eerst" in ziel.body_markdown
    assert spanning.body_markdown.startswith("Heb je weleens het gevoel")
    assert spanning.body_markdown.endswith("Gun je psoas – en de rest van je lijf – de ruimte om los te laten.\n")


# --- structure rules on small articles --------------------------------------------------------


def test_consecutive_numbered_lines_are_an_ordered_list():
    article = parse_article(
        _article("Zo doe je het:", "1. Ga liggen.", "2. Adem rustig in.", "3. Blijf even liggen.", "Klaar."), today=TODAY
    )
    assert "Zo doe je het:\n\n1. Ga liggen.\n2. Adem rustig in.\n3. Blijf even liggen.\n\nKlaar.\n" in article.body_markdown
    assert article.headings == []


def test_a_year_or_number_at_the_start_of_a_line_is_escaped():
    article = parse_article(
        _article(
            "1995. In dat jaar verscheen het eerste onderzoek.",
            "* Sterretjes en _lagere_ streepjes [zoals hier].",
            "*Let op: prijzen zijn inclusief btw.",
            "# Geen kop, gewoon tekst.",
        ),
        today=TODAY,
    )
    assert "\n\n1995\\. In dat jaar verscheen" in "\n\n" + article.body_markdown
    assert "\n\n\\* Sterretjes en \\_lagere\\_ streepjes \\[zoals hier\\].\n\n" in article.body_markdown
    assert "\n\n\\*Let op: prijzen zijn inclusief btw.\n\n" in article.body_markdown
    assert "\n\n\\# Geen kop, gewoon tekst.\n" in article.body_markdown
    assert article.excerpt == "1995. In dat jaar verscheen het eerste onderzoek."


def test_html_in_the_text_is_not_passed_through():
    article = parse_article(_article("Een tekst met <script>alert(1)</script> erin, helaas."), today=TODAY)
    assert "<script>" not in article.body_markdown
    assert "&lt;script>" in article.body_markdown


def test_lines_with_bullet_signs_are_bullets():
    article = parse_article(_article("Wat je nodig hebt.", "• een mat", "• een deken"), today=TODAY)
    assert "- een mat\n- een deken" in article.body_markdown


@pytest.mark.parametrize(
    "ending",
    ["Opmerkingen", "Opmerkingen----", "0 opmerkingen", "Laatste zin van het artikel.Opmerkingen"],
)
def test_the_comments_marker_and_everything_after_it_are_dropped(ending):
    article = parse_article(
        _article("Dit is de eerste alinea van het artikel.", "Laatste zin van het artikel.", ending, "Mooi stuk! - Anna"),
        today=TODAY,
    )
    assert "Anna" not in article.body_markdown
    assert "pmerkingen" not in article.body_markdown
    assert article.body_markdown.endswith("Laatste zin van het artikel.\n")


def test_a_question_ending_in_opmerkingen_is_kept():
    article = parse_article(_article("Heb je vragen of opmerkingen?", "Laat het me weten."), today=TODAY)
    assert "Heb je vragen of opmerkingen?" in article.body_markdown


def test_a_custom_slugify_can_be_passed():
    article = parse_article(_article("Een alinea."), today=TODAY, slugify=lambda title: "eigen-" + make_slug(title))
    assert article.slug == "eigen-rust-in-je-lijf"


def test_make_slug_is_ascii():
    assert make_slug("Wat heeft TRE® hiermee te maken?") == "wat-heeft-tre-hiermee-te-maken"
    assert make_slug("Eén café, naïef & coördinatie") == "een-cafe-naief-coordinatie"


def test_windows_line_endings_and_a_bom_are_accepted():
    raw = "\ufeffRust in je lijf\r\n- 21 okt\r\nEen alinea met tekst.\r\n".encode()
    article = parse_article(raw, today=TODAY)
    assert (article.title, article.published_on) == ("Rust in je lijf", datetime.date(2025, 10, 21))
    assert article.body_markdown == "Een alinea met tekst.\n"


# --- repair_text ------------------------------------------------------------------------------


def test_repair_undoes_utf8_read_as_cp1257():
    original = "café – ‘quote’ … ö ü è É Ç ß € ™ naïef coördinatie Łódź 😀"
    garbled = _garble(original)
    assert garbled != original
    assert repair_text(garbled) == (original, [])


def test_repair_undoes_utf8_read_as_cp1252():
    original = "café – ‘quote’ … ö è É"
    assert repair_text(_garble(original, "cp1252")) == (original, [])


def test_repair_handles_the_mangled_forms_seen_in_the_export():
    assert repair_text("ƩƩn creƫren geĆÆnsereerd") == ("één creëren geïnsereerd", [])
    assert repair_text("aanĀ dat\nveerkrachtĀ") == (f"aan{NBSP}dat\nveerkracht{NBSP}", [])


def test_repair_leaves_correct_text_alone():
    text = f"één creëren geïnsereerd ² ‘’ – … ® {NBSP} Äpfel Öl Über ß ł Ćosić Āboliņš"
    assert repair_text(text) == (text, [])


def test_what_cannot_be_repaired_is_listed_with_line_and_context():
    garbled = "eerste regel\nhet aanĀdat ƨ Ć, is stuk\nen hier \ufffd ook"
    text, unrepaired = repair_text(garbled)
    assert text == garbled  # kept, never dropped
    assert len(unrepaired) == 4
    assert unrepaired[0].startswith("line 2, column 8: 'Ā' (U+0100 LATIN CAPITAL LETTER A WITH MACRON)")
    assert "het aanĀdat ƨ Ć, is stuk" in unrepaired[0]
    assert unrepaired[1].startswith("line 2, column 13: 'ƨ'")
    assert unrepaired[2].startswith("line 2, column 15: 'Ć'")
    assert unrepaired[3].startswith("line 3, column 9: '\ufffd' (U+FFFD REPLACEMENT CHARACTER)")


def test_unrepaired_characters_reach_the_article():
    article = parse_article(_article("Een zin met een kapot teken: xĀx.", "Opmerkingen", "Ā, Ā,"), today=TODAY)
    assert len(article.unrepaired) == 1  # nothing from the dropped comments
    assert article.unrepaired[0].startswith("line 2, column 31: 'Ā'")
    assert "xĀx." in article.body_markdown


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "The file is empty."),
        (b"  \n\t \r\n   ", "only whitespace"),
        (b"Titel\n\x00\x01\x02\x03binary", "binary data"),
        (bytes(range(1, 32)) * 20, "binary data"),
        ("Caf\u00e9 in de studio\nEen alinea.".encode("latin-1"), "not UTF-8 text: byte 0xE9 at offset 3 (line 1)"),
        (b"Titel\nEen alinea \xff\xfe\xfd.", "(line 2)"),
        ("Titel\nEen alinea.".encode("utf-16"), "UTF-16"),
        (("Heel lang " * 40).encode(), "too long for a title"),
        (
            b"Dit is geen titel maar een gewone alinea met heel veel woorden. Hij loopt maar door en eindigt met een punt.",
            "reads like a paragraph",
        ),
        (b"- Manoek Klootwijk\n- 21 okt\nEen alinea.", "list or metadata line"),
        (b"Alleen een titel\n\n\n", "has no body"),
        (b"Alleen een titel\n- Manoek Klootwijk\n- 21 okt\nOpmerkingen\nLeuk!", "has no body"),
        (b"Opmerkingen\nLeuk stuk!", "No title found"),
        (b"Titel\n- 31 feb\nEen alinea.", "not a valid date"),
        (b"Titel\nBijgewerkt op: gisteravond laat\nEen alinea.", "cannot read the date"),
        (b"!!!\nEen alinea.", "no letters or digits"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(raw, message):
    with pytest.raises(ImportFormatError) as error:
        parse_article(raw, today=TODAY)
    assert message in str(error.value)


def test_import_format_error_is_a_value_error():
    assert issubclass(ImportFormatError, ValueError)


def test_the_module_imports_without_django():
    code = "import sys; sys.modules['django'] = None; import blog.importing; print('ok')"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False)
    assert result.stdout.strip() == "ok", result.stderr
