"""The interface's words in Korean and English: one catalogue, looked up by key.

Data (titles, names) come in their own languages from the store; this is only the chrome.
"""

from __future__ import annotations

from collections.abc import Callable

LANGUAGES = ("ko", "en")

_T: dict[str, tuple[str, str]] = {
    # key: (Korean, English)
    "app": ("Explorer", "Explorer"),
    "file": ("파일(&F)", "&File"),
    "view": ("보기(&V)", "&View"),
    "go": ("이동(&G)", "&Go"),
    "help": ("도움말(&H)", "&Help"),
    "quit": ("끝내기", "Quit"),
    "back": ("뒤로", "Back"),
    "forward": ("앞으로", "Forward"),
    "fit_all": ("전체 보기", "Fit all"),
    "zoom_in": ("확대", "Zoom in"),
    "zoom_out": ("축소", "Zoom out"),
    "clear_selection": ("선택 해제", "Clear selection"),
    "language": ("언어", "Language"),
    "group_by": ("묶기:", "Group by:"),
    "search_placeholder": (
        "검색: 사건, 인물·기관, 인용, 수치…",
        "Search events, entities, quotes, figures…",
    ),
    "search_results": ("검색", "Search"),
    "no_results": ("결과 없음", "No results"),
    "more_results": ("결과가 더 있습니다", "More results not shown"),
    "entities": ("개체", "Entities"),
    "filter_entities": ("이름으로 거르기 (모든 언어)", "Filter by any name, any language"),
    "filters": ("필터", "Filters"),
    "clear_filters": ("필터 모두 해제", "Clear all filters"),
    "no_filters": ("필터 없음", "No filters"),
    "date_from": ("부터", "From"),
    "date_to": ("까지", "To"),
    "use_dates": ("기간으로 거르기", "Limit to dates"),
    "categories": ("분류", "Categories"),
    "kinds": ("개체 종류", "Entity kinds"),
    "sources": ("출처", "Sources"),
    "filter_to_entity": ("이 개체의 사건만 보기", "Show only this entity's events"),
    "events_shown": ("사건 {shown}/{total}개 표시", "{shown} of {total} events shown"),
    "events_in_view": (
        "보이는 구간에 사건 {shown}개 · 전체 {total}개",
        "{shown} events in view · {total} in all",
    ),
    "events_in_view_filtered": (
        "보이는 구간에 필터에 맞는 사건 {shown}개 · 전체 {total}개",
        "{shown} events in view match the filters · {total} in all",
    ),
    # more events overlap the view than can be drawn (long spans crowd it)
    "events_in_view_undrawn": (
        "보이는 구간에 사건 {shown}개 (그중 {drawn}개를 그림: 이 구간에 시작한 사건 모두와"
        " 그 전에 시작한 일부) · 전체 {total}개",
        "{shown} events in view ({drawn} drawn: all that start in it, some that started"
        " before) · {total} in all",
    ),
    "events_in_view_filtered_undrawn": (
        "보이는 구간에 필터에 맞는 사건 {shown}개 (그중 {drawn}개를 그림: 이 구간에 시작한 사건"
        " 모두와 그 전에 시작한 일부) · 전체 {total}개",
        "{shown} events in view match the filters ({drawn} drawn: all that start in it, some"
        " that started before) · {total} in all",
    ),
    "details": ("자세히", "Details"),
    "nothing_selected": (
        "타임라인의 사건이나 목록의 개체를 선택하세요.",
        "Select an event on the timeline or an entity in the list.",
    ),
    "reading_detail": ("불러오는 중…", "Reading…"),
    "shortcuts": ("단축키", "Keyboard shortcuts"),
    "about": ("Explorer 정보", "About Explorer"),
    # panes
    "date": ("날짜", "Date"),
    "date_words": ("기사 표현", "As written"),
    "date_note": ("날짜 해석", "Date note"),
    "category": ("분류", "Category"),
    "summary": ("요약", "Summary"),
    "who": ("관련 개체", "Who and what"),
    "evidence": ("근거", "Evidence"),
    "names": ("이름", "Names"),
    "kind": ("종류", "Kind"),
    "description": ("설명", "Description"),
    "events": ("사건", "Events"),
    "figures": ("수치", "Figures"),
    "appears_with": ("함께 등장", "Often appears with"),
    # who said what, where named, the curators' notes
    "said_by_it": ("이 개체의 발언", "What it said"),
    "said_about_it": ("이 개체에 대한 발언", "What others said about it"),
    "said_here": ("발언", "What was said"),
    "speaker_unnamed": ("(이름 없는 화자)", "(unnamed speaker)"),
    "said_on": ("{when}에 발언", "said {when}"),
    "about_period": ("대상 시기 {when}", "about {when}"),
    "statement_remark": ("발언", "remark"),
    "statement_goal": ("목표", "goal"),
    "statement_forecast": ("예측", "forecast"),
    "statement_assessment": ("평가", "assessment"),
    "mentioned_in": ("언급된 곳", "Mentioned in"),
    "statements_lane": ("발언", "Said"),
    "said": ("발언 시기", "said"),
    "about_when": ("대상 시기", "about"),
    "show_statements": ("타임라인에 발언 표시", "Show statements on the timeline"),
    "go_to_date": ("날짜로 이동…", "Go to date…"),
    "go_to_date_prompt": (
        "날짜나 기간 (예: 2019, 2019-07, 2019-07-05, 2019-07 – 2020-03):",
        "A date or a range (2019, 2019-07, 2019-07-05, 2019-07 – 2020-03):",
    ),
    "go_to_date_bad": ("날짜를 알아볼 수 없습니다: {text}", "Not a date: {text}"),
    "show_legend": ("표시 설명", "Legend of the marks"),
    "legend_in_export": ("표시 설명과 제목 넣기", "Include the legend and the title"),
    "lg_day": ("날짜가 분명한 일", "a known day"),
    "lg_span": ("기간 (시작과 끝이 분명)", "a span with known ends"),
    "lg_month": ("월·연 단위로만 알려진 날짜", "known only to the month or year"),
    "lg_uncertain_span": ("끝이 월·연 단위인 기간", "a span with uncertain ends"),
    "lg_circa": ("≈ 무렵", "≈ circa"),
    "lg_before": ("≤ 그 이전 (그때까지)", "≤ on or before"),
    "lg_after": ("≥ 그 이후", "≥ on or after"),
    "lg_open": ("계속 중 (출처가 확인한 때까지)", "ongoing (as far as the source vouches)"),
    "lg_undated": ("날짜 없음, 그 이전인 것만 앎", "undated: only known to be before"),
    "lg_count": ("겹친 사건 수 (클릭: 확대)", "crowded events (click to open)"),
    "lg_note": ("메모가 있는 사건", "an event with your notes"),
    "lg_selected": ("선택한 사건", "the selected event"),
    "lg_statement": ("발언과 그 대상 시기", "a statement and the period it is about"),
    "curators_notes": ("큐레이터 메모", "The curators' notes"),
    "curators_note": ("큐레이터의 메모:", "The curators' note:"),
    "curators_inference": (
        "큐레이터의 추론 (기사에 없음):",
        "The curators' inference (no article says so):",
    ),
    "figures_reported": ("보도된 값", "reported"),
    "basis_estimate": ("추정", "estimate"),
    "basis_forecast": ("예측", "forecast"),
    "basis_target": ("목표", "target"),
    "basis_derived": ("큐레이터 계산", "curators' calculation"),
    "figures_ahead": ("예측·목표", "forecast or target"),
    "metric": ("지표", "Metric"),
    "value": ("값", "Value"),
    "as_of": ("기준", "As of"),
    "source": ("출처", "Source"),
    "undated": ("날짜 없음", "undated"),
    "open_link": ("원문 열기", "Open article"),
    "precision_day": ("일 단위", "day precision"),
    "precision_month": ("월 단위", "month precision"),
    "precision_year": ("연 단위", "year precision"),
    "qualifier_exact": ("정확", "exact"),
    "qualifier_circa": ("무렵", "circa"),
    "qualifier_before": ("이전", "on or before"),
    "qualifier_after": ("이후", "on or after"),
    "lane_none": ("(없음)", "(none)"),
    "lane_other": ("(기타)", "(other)"),
    "n_events": ("사건 {n}개", "{n} events"),
    "show_more": ("더 보기…", "Show more…"),
    "hit_event": ("사건", "event"),
    "hit_entity": ("개체", "entity"),
    "hit_claim": ("수치", "figure"),
    "hit_source": ("출처", "source"),
    "hit_statement": ("발언", "statement"),
    "events_in_group": ("사건 {n}개 — 클릭하면 확대", "{n} events — click to zoom in"),
    # groupings
    "grouping_category": ("분류", "Category"),
    "grouping_place": ("장소", "Place"),
    "grouping_entity_kind": ("개체 종류", "Entity kind"),
    "grouping_source": ("출처", "Source"),
    # entity kinds
    "kind_person": ("인물", "Person"),
    "kind_organization": ("기관·기업", "Organization"),
    "kind_place": ("장소", "Place"),
    "kind_program": ("정책·계획·기금", "Program"),
    "kind_product": ("제품·모델", "Product"),
    "kind_event_series": ("행사 시리즈", "Event series"),
    # categories
    "cat_conference": ("회의·행사", "Conference"),
    "cat_founding": ("설립", "Founding"),
    "cat_launch": ("출범·발표", "Launch"),
    "cat_opening": ("개소·운영", "Opening"),
    "cat_policy": ("정책", "Policy"),
    "cat_partnership": ("협력", "Partnership"),
    "cat_visit": ("방문", "Visit"),
    "cat_deployment": ("도입·시행", "Deployment"),
    "cat_investment": ("투자", "Investment"),
    "cat_media": ("보도", "Media"),
    "role_subject": ("주체", "subject"),
    "role_host": ("주최", "host"),
    "role_organizer": ("주관", "organizer"),
    "role_founder": ("설립자", "founder"),
    "role_venue": ("장소", "venue"),
    "role_location": ("지역", "location"),
    "role_participant": ("참가", "participant"),
    "role_partner": ("협력", "partner"),
    "role_visitor": ("방문자", "visitor"),
    "role_speaker": ("발언", "speaker"),
    "role_announcer": ("발표", "announcer"),
    "role_operator": ("운영", "operator"),
    "role_reporter": ("보도", "reporter"),
    "role_tenant": ("입주", "tenant"),
    "role_funder": ("자금 지원", "funder"),
    "role_member": ("회원", "member"),
    "role_developer": ("개발", "developer"),
    "notes": ("메모", "Notes"),
    "new_note": ("새 메모", "New note"),
    "edit_note": ("메모 고치기", "Edit note"),
    "add_note": ("메모 추가", "Add a note"),
    "delete_note": ("삭제", "delete"),
    "edit": ("편집(&E)", "&Edit"),
    "undo": ("실행 취소", "Undo"),
    "redo": ("다시 실행", "Redo"),
    "tags_placeholder": ("태그 (쉼표로 구분)", "Tags, separated by commas"),
    "markdown": ("마크다운 서식", "Markdown formatting"),
    "search_notes": ("메모 검색", "Search notes"),
    "all_tags": ("모든 태그", "All tags"),
    "note_on": ("메모 대상: {what}", "Note on: {what}"),
    "range_label": ("기간 {start} – {end}", "Dates {start} – {end}"),
    "orphaned": ("(이 데이터에 없는 대상: {id})", "(not in this dataset: {id})"),
    "and_more": ("… 외 {n}개", "… and {n} more"),
    "invalid_target": ("(읽을 수 없는 대상: {why})", "(cannot be shown: {why})"),
    "checking_file": (
        "{name} 파일을 확인하는 중 ({pct}%): 확인이 끝날 때까지 읽기 전용입니다",
        "Checking {name} ({pct}%): read-only until the check has passed",
    ),
    "file_checked": (
        "{name} 파일을 확인했습니다 ({s}초): 이상 없음",
        "{name} checked in {s} s: sound",
    ),
    "file_unchecked": (
        "{name} 파일을 확인하지 못했습니다 ({why}): 다음에 열 때 다시 확인합니다",
        "{name} was not checked ({why}): it is checked again when next opened",
    ),
    "file_changed": ("확인하는 동안 파일이 바뀌었습니다", "it changed while it was read"),
    "file_check_stopped": ("확인이 멈췄습니다", "the check was stopped"),
    "invalid_events": (
        "이 파일의 사건 {n}개는 표시할 수 없어 빠졌습니다 (explorer check 가 알려 줍니다)",
        "{n} event(s) in this file cannot be shown and are left out (explorer check names them)",
    ),
    "invalid_items": (
        "내가 추가한 항목 {n}개를 표시할 수 없습니다: {why}",
        "{n} of your own items cannot be shown: {why}",
    ),
    "notes_unavailable": ("메모를 열 수 없습니다: {why}", "Notes are unavailable: {why}"),
    "upgraded": (
        "{path}: 스키마 버전 {old}에서 {new}(으)로 올렸습니다. 올리기 전 파일은 {kept}에 있습니다",
        "{path} was upgraded from schema version {old} to {new}; the file as it was is kept"
        " at {kept}",
    ),
    "recovered_copy": (
        "{path}에 마지막으로 쓰던 작업이 끝나지 않았습니다. 그 작업 전의 상태로 보여 줍니다"
        " (복구한 사본이며, 파일 자체는 그대로 둡니다)",
        "the last write to {path} did not finish; it is shown as it was before that write"
        " (a recovered copy: the file itself is left as it is)",
    ),
    "saved": ("저장됨", "Saved"),
    "conflicts": ("메모 충돌", "Note conflicts"),
    "conflicts_pending": ("해결할 충돌 {n}건", "{n} conflict(s) to resolve"),
    "version_of": ("{who}의 판 ({when})", "{who}'s version ({when})"),
    "keep_mine": ("내 것 유지", "Keep mine"),
    "keep_theirs": ("상대 것 유지", "Keep theirs"),
    "keep_both": ("둘 다 유지", "Keep both"),
    "close": ("닫기", "Close"),
    "backups": ("백업", "Backups"),
    "restore": ("복원", "Restore"),
    "restore_explained": (
        "선택한 백업으로 메모를 되돌립니다. 지금 상태도 먼저 백업되므로 되돌릴 수 있습니다.",
        "Brings your notes back to the chosen backup. The present state is backed up first, "
        "so this can be undone.",
    ),
    "preferences": ("환경설정", "Preferences"),
    "author_name": ("작성자 이름", "Author name"),
    "backups_keep": ("보관할 백업 수", "Backups to keep"),
    "import_file": ("가져오기…", "Import…"),
    "new_project": ("새 프로젝트…", "New project…"),
    "filter_source": ("이 출처의 사건만 보기", "Show only events from this source"),
    "curators": ("큐레이터의 판단", "the curators' inference"),
    "first_n": ("처음 {n}개", "first {n} shown"),
    "statements": ("발언", "Statements"),
    "mentions": ("언급", "Mentioned"),
    "as_layer": (
        "이 프로젝트에 내 레이어로 추가 (기본 데이터는 그대로)",
        "Add to this project as a layer of your own (the curated data stays as it is)",
    ),
    "as_project": ("새 프로젝트로 만들기", "Make a new project"),
    "layers": ("레이어", "Layers"),
    "remove_layer": ("레이어 지우기: {name}", "Remove layer: {name}"),
    "no_layers": ("레이어 없음", "No layers"),
    "layer_added": ("{text}", "{text}"),
    "open_project": ("프로젝트 열기…", "Open project…"),
    "open_recent": ("최근 프로젝트", "Open recent"),
    "close_project": ("프로젝트 닫기", "Close project"),
    "bundled_dataset": ("기본 데이터: {name}", "Bundled data: {name}"),
    "project_filter": ("Explorer 프로젝트 (*.db)", "Explorer projects (*.db)"),
    "no_recent": ("최근 프로젝트 없음", "No recent projects"),
    "export_view": ("보기를 그림으로 내보내기(PNG, SVG)…", "Export view as image (PNG, SVG)…"),
    "export_data": (
        "데이터 내보내기(JSON, CSV, TimelineJS, HTML)…",
        "Export data (JSON, CSV, TimelineJS, HTML)…",
    ),
    "exported_to": ("내보냄: {path}", "Exported to {path}"),
    "export_view_title": ("보기를 그림으로 내보내기", "Export the view as a picture"),
    "width": ("너비", "Width"),
    "height": ("높이", "Height"),
    "resolution": ("해상도", "Resolution"),
    "save_as": ("저장할 파일", "Save as"),
    "printed_size": ("인쇄 크기 {cm} cm ({inches} in)", "Printed size {cm} cm ({inches} in)"),
    "replace_file": (
        "{path} 파일이 이미 있습니다. 바꿀까요?",
        "{path} already exists. Replace it?",
    ),
    "import_article": ("기사 가져오기…", "Import article…"),
    "article_title": ("제목", "Title"),
    "publisher": ("발행처", "Publisher"),
    "published": ("날짜", "Date"),
    "url": ("URL", "URL"),
    "article_placeholder": (
        "기사 본문을 붙여 넣거나 텍스트 파일을 여세요.",
        "Paste the article's text here, or open a text file.",
    ),
    "open_text_file": ("텍스트 파일 열기…", "Open text file…"),
    "find_dates": ("날짜와 이름 찾기", "Find dates and names"),
    "make_event": ("이 문장으로 내 사건 만들기…", "Make an event of my own from this…"),
    "found_dates": ("날짜 {dates}개, 이름 {names}개", "{dates} date(s), {names} name(s)"),
    "bad_article_date": (
        "기사 날짜는 YYYY-MM-DD로 적어야 상대 날짜를 풀 수 있습니다.",
        "Write the article's date as YYYY-MM-DD to resolve relative dates.",
    ),
    "cannot_read": ("{name}을(를) 읽을 수 없습니다: {why}", "{name} cannot be read: {why}"),
    "untitled_article": ("제목 없는 기사", "Untitled article"),
    "import_title": ("가져오기: {name}", "Import {name}"),
    "col_date": ("날짜", "Date"),
    "col_title": ("제목", "Title"),
    "col_group": ("분류", "Group"),
    "browse": ("찾아보기…", "Browse…"),
    "skip_bad": ("읽을 수 없는 항목은 건너뛰고 가져오기", "Skip the items that cannot be read"),
    "format": ("형식", "Format"),
    "zone": ("시간대", "Time zone"),
    "zone_hint": (
        "시간대 없이 적힌 시각(iCalendar의 floating 시각, The Timeline Project, TimelineJS)을 "
        "읽을 시간대: UTC, +09:00 같은 오프셋, Asia/Seoul 같은 이름",
        "The zone of times the file writes without one (iCalendar floating times, "
        "The Timeline Project, TimelineJS): UTC, an offset such as +09:00, or a name such as "
        "Asia/Seoul",
    ),
    "series": ("반복 일정 (iCalendar)", "Recurring events (iCalendar)"),
    "series_limit": ("회까지", " occurrences at most"),
    "series_years": ("년 안에서 (첫 회부터)", " years after the first at most"),
    "series_hint": (
        "반복 일정(RRULE, RDATE)을 사건으로 펼칠 한도: 한 시리즈의 최대 횟수와 첫 회부터의 "
        "햇수. 한도에서 잘린 시리즈는 보고서에 나옵니다.",
        "How far a recurring event (RRULE, RDATE) is expanded into events: at most this "
        "many occurrences, none more than this many years after its first. The report names "
        "each series the bound cut.",
    ),
    "import_into": ("가져올 프로젝트", "Import into project"),
    "import": ("가져오기", "Import"),
    "cancel": ("취소", "Cancel"),
    "reading": ("{name} 읽는 중…", "Reading {name}…"),
    "importing": ("{name} 가져오는 중…", "Importing {name}…"),
    "import_summary": (
        "{format}: 파일의 항목 {seen}개에서 사건 {ok}개를 읽었고, {bad}개는 읽을 수 없습니다. "
        "시기 {periods}개.",
        "{format}: {seen} item(s) in the file gave {ok} event(s); {bad} cannot be read; "
        "{periods} period(s).",
    ),
    "fidelity_kept": ("유지", "kept"),
    "fidelity_changed": ("바뀜", "changed"),
    "fidelity_dropped": ("빠짐", "dropped"),
    "import_carries": (
        "메모 {notes}개와 내 항목 {items}개도 함께 가져옵니다.",
        "It also carries {notes} note(s) and {items} item(s) of your own.",
    ),
    "export_notes": ("메모 내보내기…", "Export notes…"),
    "import_notes": ("메모 가져오기…", "Import notes…"),
    "backup_now": ("지금 백업", "Back up now"),
    "restore_backup": ("백업 복원…", "Restore a backup…"),
    "show_conflicts": ("메모 충돌 해결…", "Resolve note conflicts…"),
    "imported": ("가져오기: {summary}", "Imported: {summary}"),
    "exported": ("메모 {n}개를 {path}에 저장", "Saved {n} notes to {path}"),
    "backed_up": ("백업: {path}", "Backed up to {path}"),
    "restored": ("복원됨. 이전 상태는 {path}에 백업", "Restored; the state before is in {path}"),
    "notes_locked": (
        "이 메모는 다른 Explorer 창(프로세스 {pid})에서 열려 있어 "
        "이 창에서는 읽기만 할 수 있습니다.",
        "These notes are open in another Explorer window (process {pid}); this window shows "
        "them read-only.",
    ),
    "read_only_notes": ("메모가 읽기 전용입니다", "Notes are read-only here"),
    "new_own_event": ("내 사건 추가…", "New event of my own…"),
    "edit_own_event": ("내 사건 고치기", "Edit my event"),
    "new_own_entity": ("내 개체 추가…", "New entity of my own…"),
    "edit_own_entity": ("내 개체 고치기", "Edit my entity"),
    "new_own_source": ("내 출처 추가…", "New source of my own…"),
    "edit_own_source": ("내 출처 고치기", "Edit my source"),
    "own_badge": ("내가 추가한 항목", "Added by you"),
    "edit_own": ("고치기", "edit"),
    "delete_own": ("삭제", "delete"),
    "add_link": ("연결", "Link"),
    "remove_link": ("연결 해제", "Unlink"),
    "title_ko": ("제목 (한국어)", "Title (Korean)"),
    "title_en": ("제목 (영어)", "Title (English)"),
    "date_start": ("시작", "Start"),
    "date_end": ("끝 (기간일 때)", "End (for a span)"),
    "precision": ("정밀도", "Precision"),
    "qualifier": ("한정", "Qualifier"),
    "name_ko": ("이름 (한국어)", "Name (Korean)"),
    "name_en": ("영어 이름", "English names"),
    "name_zh": ("중국어 이름", "Chinese names"),
    "source_title": ("제목", "Title"),
    "source_publisher": ("매체", "Publisher"),
    "source_author": ("필자", "Author"),
    "source_published": ("발행일", "Published"),
    "source_url": ("주소", "Address (URL)"),
    "note_on_source": ("이 출처에 메모", "note on this source"),
    "note_on_claim": ("선택한 수치에 메모 추가", "Add a note to the selected figure"),
    "on_source": ("출처 {what}에 대한 메모", "On the source {what}"),
    "on_claim": ("수치 {what}에 대한 메모", "On the figure {what}"),
    "lang_ko": ("한국어", "한국어 (Korean)"),
    "lang_en": ("English (영어)", "English"),
    # shortcuts dialog
    "sc_zoom": ("확대 / 축소", "Zoom in / out"),
    "sc_pan": ("왼쪽 / 오른쪽으로 이동", "Pan left / right"),
    "sc_fit": ("전체 기간 보기", "Fit all"),
    "sc_range": ("Shift+끌기: 구간 확대", "Shift+drag: zoom to a range"),
    "sc_wheel": ("휠: 확대·축소, 끌기: 이동", "Wheel: zoom, drag: pan"),
    "sc_back": ("이전 선택", "Previous selection"),
    "sc_forward": ("다음 선택", "Next selection"),
    "sc_search": ("검색창으로", "Go to search"),
    "sc_entities": ("개체 목록으로", "Go to entity list"),
    "sc_clear": ("선택 해제", "Clear selection"),
}


class Translator:
    """Looks words up in the current language; `lang` can change at any time."""

    def __init__(self, lang: str = "ko") -> None:
        self._lang = lang if lang in LANGUAGES else "ko"
        self._follow: Callable[[], str] | None = None

    @property
    def lang(self) -> str:
        return self._follow() if self._follow is not None else self._lang

    @lang.setter
    def lang(self, lang: str) -> None:
        self._lang = lang if lang in LANGUAGES else "ko"

    def follow(self, source: Callable[[], str]) -> None:
        """Take the language from `source` (the workspace's) from now on, so that every view
        told of a change of language reads the new one, whichever is told first."""
        self._follow = source

    def __call__(self, key: str, **fmt: object) -> str:
        pair = _T.get(key)
        if pair is None:
            return key
        text = pair[LANGUAGES.index(self.lang)] or pair[1]
        return text.format(**fmt) if fmt else text

    def category(self, name: str) -> str:
        return self(f"cat_{name}") if f"cat_{name}" in _T else name

    def kind(self, name: str) -> str:
        return self(f"kind_{name}") if f"kind_{name}" in _T else name

    def role(self, name: str) -> str:
        """A role word in the interface language; roles outside the vocabulary as stored."""
        return ", ".join(self(f"role_{r}") if f"role_{r}" in _T else r for r in name.split(", "))


def keys() -> list[str]:
    return list(_T)


def _merge_view_words() -> None:
    """The linked views keep their words in a module of their own."""
    from explorer.ui.views_words import WORDS

    for key, pair in WORDS.items():
        _T.setdefault(key, pair)


_merge_view_words()
