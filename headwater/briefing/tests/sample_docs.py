"""Sample briefing documents (the contract of docs: the briefing document) for the formats'
tests and the benchmark: a busy day and a quiet day, in Chinese and in English, and a large
one (ten sections, a 500-row table)."""

import copy

UNITS = ["供水一厂", "供水二厂", "供水三厂", "管网公司", "营销中心", "检测中心", "机关本部"]


def _health(zh: bool) -> dict:
    return {
        "key": "health",
        "title": "员工健康打卡" if zh else "Staff health check-in",
        "order": 10,
        "lines": [
            "应打卡 100,000 人，已打卡 97,012 人（97.0%），异常 12 人。"
            if zh
            else "100,000 staff due, 97,012 checked in (97.0%), 12 abnormal."
        ],
        "figures": [
            {
                "key": "health.checkin_rate",
                "label": "打卡率" if zh else "Check-in rate",
                "value": 97.0,
                "previous": 96.5,
                "trend": [95.1, 96.0, None, 97.3, 96.8, 96.5, 97.0],
                "unit": "%",
                "better": "up",
                "text": "97.0",
                "previous_text": "96.5",
            },
            {
                "key": "health.abnormal",
                "label": "异常人数" if zh else "Abnormal",
                "value": 12,
                "previous": 9,
                "trend": [4, 6, 5, 8, 7, 9, 12],
                "unit": "人" if zh else "",
                "better": "down",
                "text": "12",
                "previous_text": "9",
            },
            {
                "key": "health.red_codes",
                "label": "红码人数" if zh else "Red codes",
                "value": 2,
                "previous": 2,
                "trend": [None, None, None, None, 1, 2, 2],
                "unit": "人" if zh else "",
                "better": "down",
                "text": "2",
                "previous_text": "2",
            },
        ],
        "tables": [
            {
                "title": "异常人员" if zh else "Abnormal staff",
                "header": ["单位", "姓名", "体温"] if zh else ["Unit", "Name", "Temperature"],
                "rows": [
                    [UNITS[i % len(UNITS)], f"张*{i}", f"{37.3 + (i % 8) / 10:.1f}"]
                    for i in range(12)
                ],
            }
        ],
        "flags": [
            {
                "kind": "abnormal",
                "text": "供水一厂张*0体温37.8℃，已安排复测" if zh else "Zhang* at plant 1: 37.8 °C",
            },
        ],
        "quiet": "",
    }


def _reports(zh: bool) -> dict:
    return {
        "key": "reports",
        "title": "单位日报" if zh else "Unit daily reports",
        "order": 20,
        "lines": [
            "应报 7 个单位，按时 5 个，迟报 1 个，未报 1 个。"
            if zh
            else "7 units due: 5 on time, 1 late, 1 missing."
        ],
        "figures": [
            {
                "key": "reports.on_time",
                "label": "按时报送" if zh else "On time",
                "value": 5,
                "previous": 7,
                "trend": [7, 7, 6, 7, 7, 7, 5],
                "unit": "个" if zh else "",
                "better": "up",
                "text": "5",
                "previous_text": "7",
            }
        ],
        "tables": [
            {
                "title": "报送情况" if zh else "Filings",
                "header": ["单位", "状态", "报送时间"] if zh else ["Unit", "State", "Filed at"],
                "rows": [[u, "按时" if zh else "on time", "07:55"] for u in UNITS[:5]]
                + [
                    ["营销中心", "迟报" if zh else "late", "10:20"],
                    ["检测中心", "未报" if zh else "missing", None],
                ],
            }
        ],
        "flags": [
            {
                "kind": "overdue",
                "text": "检测中心未按时报送日报" if zh else "Lab centre filed no report",
            },
            {
                "kind": "decision",
                "text": "营销中心连续三日迟报，请研究是否约谈"
                if zh
                else "Sales centre late three days running: decide on a talk",
            },
        ],
        "quiet": "",
    }


def _quality(zh: bool, quiet: bool) -> dict:
    return {
        "key": "quality",
        "title": "供水水质" if zh else "Water quality",
        "order": 30,
        "lines": []
        if quiet
        else ["完成检测任务 48 项，漏检 0 项。" if zh else "48 tasks done, none missed."],
        "figures": [
            {
                "key": "quality.compliance",
                "label": "水质合格率" if zh else "Compliance rate",
                "value": 100.0,
                "previous": 100.0,
                "trend": [100.0] * 7,
                "unit": "%",
                "better": "up",
                "text": "100.0",
                "previous_text": "100.0",
            }
        ],
        "tables": [],
        "flags": [],
        "quiet": "水质检测无超标。" if zh else "No exceedance.",
    }


def busy(language: str = "zh-hans") -> dict:
    """A day with exceptions of every kind, a second version."""
    zh = language.startswith("zh")
    return {
        "language": language,
        "organization": "长沙水务集团" if zh else "Changsha Water Group",
        "title": "长沙水务集团疫情防控工作日报"
        if zh
        else "Changsha Water Group — Daily epidemic-prevention briefing",
        "number": "2026年第338期" if zh else "No. 338 of 2026",
        "day": "2026-12-03",
        "day_text": "2026年12月3日" if zh else "3 December 2026",
        "issued_at": "2026-12-04 08:30",
        "issuer": "疫情防控办公室" if zh else "Epidemic-prevention office",
        "version": 2,
        "level": "二级响应" if zh else "Level 2 response",
        "quiet": False,
        "key_points": [
            "员工打卡率97.0%，较前日上升0.5个百分点。" if zh else "Check-in rate 97.0%, up 0.5 pp.",
            "异常人员12人，较前日增加3人，其中红码2人。"
            if zh
            else "12 abnormal staff, 3 more than the day before; 2 red codes.",
            "检测中心未按时报送日报。" if zh else "The lab centre filed no report.",
            "营销中心连续三日迟报，需研究决定。"
            if zh
            else "Sales centre late three days running: a decision is needed.",
        ],
        "changes": [
            "供水二厂补报日报，按时报送单位由4个增至5个。"
            if zh
            else "Plant 2 filed late: 5 units on time (was 4)."
        ],
        "link": "https://headwater.example/briefings/338/",
        "sections": [_health(zh), _reports(zh), _quality(zh, quiet=False)],
    }


def quiet(language: str = "zh-hans") -> dict:
    """A day with nothing abnormal anywhere: a zero report, the first version."""
    zh = language.startswith("zh")
    doc = busy(language)
    health = _health(zh)
    health.update(
        lines=[
            "应打卡 100,000 人，已打卡 99,950 人（99.9%），无异常。"
            if zh
            else "99.9% checked in, none abnormal."
        ],
        tables=[],
        flags=[],
        quiet="全员健康打卡无异常。" if zh else "No abnormal check-in.",
    )
    health["figures"] = health["figures"][:1]
    doc.update(
        version=1,
        quiet=True,
        changes=[],
        link="",
        key_points=[
            "全集团各单位疫情防控工作平稳，无异常情况。"
            if zh
            else "Nothing abnormal anywhere in the group."
        ],
        sections=[health, _quality(zh, quiet=True)],
    )
    return doc


def large(language: str = "zh-hans", rows: int = 500, sections: int = 10) -> dict:
    """Ten sections, the first with a `rows`-row table (the benchmark's document)."""
    zh = language.startswith("zh")
    doc = busy(language)
    parts = []
    for i in range(sections):
        part = copy.deepcopy([_health, _reports][i % 2](zh))
        part["key"] = f"{part['key']}{i}"
        parts.append(part)
    parts[0]["tables"][0]["rows"] = [
        [
            UNITS[i % len(UNITS)],
            f"员工{i:04d}" if zh else f"Staff {i:04d}",
            f"{37.3 + (i % 8) / 10:.1f}",
        ]
        for i in range(rows)
    ]
    doc["sections"] = parts
    return doc
