from sahel_site.config import normalize_base_url, parse_config


def test_defaults_and_values():
    config, problems = parse_config("title: Sahel Watch\nbase_url: /repo\n", "content/site.yml")
    assert problems == ()
    assert config.title == "Sahel Watch"
    assert config.base_url == "/repo/"
    assert config.language == "en"


def test_base_url_override_wins():
    config, _ = parse_config("title: T\nbase_url: /a/\n", "site.yml", base_url="https://x.github.io/b")
    assert config.base_url == "https://x.github.io/b/"


def test_unknown_key_and_wrong_type_are_errors_with_lines():
    _, problems = parse_config("title: T\ntitel: X\nlanguage: [en]\n", "content/site.yml")
    assert [str(p) for p in problems] == [
        ("content/site.yml:2: unknown setting 'titel' (known: title, base_url, language, description, author,"
        " license, copyright, raw_html)"),
        "content/site.yml:3: 'language' must be a non-empty string",
    ]


def test_missing_title_and_bad_yaml():
    _, problems = parse_config("language: en\n", "site.yml")
    assert [str(p) for p in problems] == ["site.yml:1: missing required setting 'title'"]
    _, problems = parse_config("title: [unclosed\n", "site.yml")
    assert len(problems) == 1 and problems[0].line == 2 and "invalid YAML" in problems[0].message


def test_normalize_base_url():
    assert normalize_base_url("") == "/"
    assert normalize_base_url("/") == "/"
    assert normalize_base_url("repo") == "/repo/"
    assert normalize_base_url("https://u.github.io/repo") == "https://u.github.io/repo/"
