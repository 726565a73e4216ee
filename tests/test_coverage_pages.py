"""The leaders' overview (the app's first page) and the population & registrations page, through AppTest."""

import pytest

from campaign import features
from campaign.coverage import report as coverage_report
from campaign.coverage import store
from campaign.infra import settings
from campaign.org import access
from tests.apptest import errors, open_page
from ui import nav


def test_overview_is_the_first_page_for_every_role():
    for role in access.ROLES:
        assert nav.pages_for(role)[0].key == "overview"
    assert [p.key for p in nav.pages_for(access.LEADER)].count("coverage_data") == 0


@pytest.mark.parametrize("user, lang", [("leader", "zh"), ("leader", "en"), ("admin", "zh")])
def test_overview_opens_first_with_the_report_figures(demo_path, user, lang):  # a coordinator opens on entry (issue 17)
    at = open_page(demo_path, None, user=user, lang=lang)  # the default page after signing in
    assert errors(at) == []
    report = coverage_report.report(features.connect(demo_path))
    metrics = {m.label: m for m in at.metric}
    rate = "总注册率" if lang == "zh" else "Registration rate"
    rank = "全市排名" if lang == "zh" else "City rank"
    assert metrics[rate].value == f"{report['coverage']:.2%}"
    assert metrics[rank].value == ("第 2 / 18" if lang == "zh" else "2 of 18")
    gap = next(m for label, m in metrics.items() if label.startswith("距16–60") or label.endswith("16–60 target"))
    assert gap.value == (f"{report['gap']['coverage_16_60']:,} 人" if lang == "zh" else f"{report['gap']['coverage_16_60']:,} people")
    towns = at.dataframe[0].value  # the townships, ranked
    assert len(towns) == 9 and list(towns["rank"]) == sorted(towns["rank"])
    text = " ".join(m.value for m in at.markdown)
    assert "龙下乡" in text  # reports beyond the registration rise


def test_overview_without_population(tmp_path):
    from campaign.accounts import users
    from tests.helpers import ADMIN, small_county

    path = tmp_path / "small.db"
    db = features.connect(path)
    small_county(db)
    users.add_user(db, ADMIN, "boss", access.LEADER, password="a-long-password-1", must_change=False)
    at = open_page(path, None, user="boss", lang="en")
    assert errors(at) == []
    assert any("No population" in i.value for i in at.info)
    assert len(at.metric) == 2  # the units' quota completion is still shown


def test_settings_page_sets_city_targets(demo_path):
    at = open_page(demo_path, "settings", lang="en")
    at.text_input(key="set_target_coverage").set_value("62.5%")
    at.text_input(key="set_target_coverage_16_60").set_value("0.96")
    at.text_input(key="set_reconcile_margin").set_value("15%")
    at.get("form_submit_button")[0].click().run()
    assert errors(at) == []
    conf = settings.get_all(features.connect(demo_path))
    assert (conf["target_coverage"], conf["target_coverage_16_60"], conf["reconcile_margin"]) == (0.625, 0.96, 0.15)


def test_settings_page_refuses_a_bad_target(demo_path):
    at = open_page(demo_path, "settings", lang="en")
    at.text_input(key="set_target_coverage").set_value("95")
    at.get("form_submit_button")[0].click().run()
    assert any("Rate too high: 95" in e.value for e in at.error)
    assert settings.get(features.connect(demo_path), "target_coverage") == 0.6


def test_coverage_data_page_adds_an_alias_and_switches_the_denominator(demo_path):
    at = open_page(demo_path, "coverage_data", lang="zh")  # widget format_funcs are replayed outside the run: in Chinese
    at.text_input(key="cov_alias").set_value("陂头")
    at.selectbox(key="cov_alias_township").set_value("陂头镇")
    at.get("form_submit_button")[0].click().run()
    assert errors(at) == []
    db = features.connect(demo_path)
    assert store.aliases(db)["陂头"] == "陂头镇"
    version = store.active_version(db).id
    assert at.button(key="cov_use").disabled  # only one version: already the denominator
    assert version == 1


def test_coverage_data_page_is_for_administrators_only():
    spec = next(p for p in nav.PAGES if p.key == "coverage_data")
    assert spec.roles == (access.ADMIN,)
