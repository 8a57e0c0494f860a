from .conftest import entity


def _roles(r, name):
    return [(x.title, x.sector, x.former) for x in entity(r, name).roles]


def test_title_before_name_gives_role_and_country(extract):
    r = extract("Japanese Foreign Minister Yoko Kamikawa met Kenyan President William Ruto in Nairobi.")
    kamikawa = entity(r, "Yoko Kamikawa")
    assert kamikawa.country == "JPN"
    assert ("Foreign Minister", "foreign_affairs", False) in _roles(r, "Yoko Kamikawa")
    assert entity(r, "William Ruto").country == "KEN"
    assert _roles(r, "William Ruto")[0][1] == "head_of_state"


def test_apposition_possessive_and_relative_clause(extract):
    r = extract(
        "Lloyd Austin, the U.S. Secretary of Defense, met S. Somanath, who heads the Indian space agency. "
        "Later Shaktikanta Das, governor of India's central bank, spoke."
    )
    austin = entity(r, "Lloyd Austin")
    assert austin.country == "USA" and austin.roles[0].sector == "defense"
    assert "Secretary of Defense" in austin.roles[0].title
    somanath = entity(r, "S. Somanath")
    assert somanath.roles and somanath.roles[0].sector == "space" and somanath.country == "IND"
    das = entity(r, "Shaktikanta Das")
    assert das.roles[0].sector == "finance" and das.country == "IND"


def test_former_role_and_span_grounding(extract):
    text = "Former Turkish Prime Minister Ahmet Davutoglu criticized the deal."
    r = extract(text)
    (role,) = entity(r, "Ahmet Davutoglu").roles
    assert role.former and role.sector == "head_of_government"
    assert text[role.start : role.end] == role.title
    assert entity(r, "Ahmet Davutoglu").country == "TUR"


def test_two_titles_joined_by_and(dev_result):
    doc, r = dev_result("22")
    wang = entity(r, "Wang Yi")
    sectors = {x.sector for x in wang.roles}
    assert "foreign_affairs" in sectors and wang.country == "CHN"
    for role in wang.roles:
        assert doc.text[role.start : role.end] == role.title


def test_topic_and_destination_do_not_give_nationality(extract):
    r = extract(
        "Charles Hecker, an expert on Western-Russian economic ties, spoke. "
        "Russia's President Vladimir Putin met the U.S. envoy to China, Ian Smith."
    )
    assert entity(r, "Charles Hecker").country is None
    putin = entity(r, "Vladimir Putin")
    assert [x.title for x in putin.roles] == ["President"] and putin.country == "RUS"


def test_title_names_its_international_organization(extract):
    res = extract("NATO Secretary General Jens Stoltenberg met U.N. Secretary-General Antonio Guterres in Brussels.")
    orgs = {e.name: [r.organization for r in e.roles] for e in res.entities if e.kind == "person"}
    assert orgs["Jens Stoltenberg"] == ["NATO"] and orgs["António Guterres"] == ["United Nations"]


def test_bare_title_coordinated_before_a_name_is_someone_else(extract):
    res = extract("The Minister and Ambassador Keiko Tanaka discussed trade.")
    tanaka = next(e for e in res.entities if e.kind == "person")
    assert [r.title for r in tanaka.roles] == ["Ambassador"]
