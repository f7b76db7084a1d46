"""The linked views' words in Korean and English (merged into ui.i18n's catalogue)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "sc_step_events": (
        "타임라인: 다음·이전 사건, 위·아래 줄의 사건 (관계망·지도: 다음 개체·장소)",
        "Timeline: next / previous event, the event in the lane above / below "
        "(network, map: next entity, place)",
    ),
    "sc_views": (
        "관계망, 지도, 생애선, 사건 표 보이기·숨기기",
        "Show or hide the network, map, lifelines, events table",
    ),
    "show_network": ("관계망", "Network"),
    "show_map": ("지도", "Map"),
    "show_lifelines": ("생애선", "Lifelines"),
    "show_table": ("사건 표", "Events table"),
    "view_network": (
        "관계망: 같은 사건에 함께 등장한 개체",
        "Network of entities in the same events",
    ),
    "view_map": ("지도: 보이는 기간의 장소", "Map of the places in the window"),
    "view_lifelines": ("생애선: 개체별 사건", "Lifelines: each entity's events"),
    "view_table": ("사건 표", "Events table"),
    "timeline": ("타임라인", "Timeline"),
    "computing": ("계산 중…", "Computing…"),
    "sum_timeline": (
        "{period}: 사건 {events}개, 줄 {lanes}개",
        "{period}: {events} events in {lanes} lanes",
    ),
    "sum_network": (
        "{period}: 개체 {nodes}개, 연결 {edges}개 (사건 {events}개)",
        "{period}: {nodes} entities, {edges} links ({events} events)",
    ),
    "sum_more": ("; 그 밖에 개체 {more}개", "; {more} more entities not shown"),
    "sum_map": (
        "{period}: 장소 {places}곳 (사건 {events}개)",
        "{period}: {places} places ({events} events)",
    ),
    "sum_more_places": ("; 그 밖에 장소 {more}곳", "; {more} more places not shown"),
    "sum_unplaced": ("; 좌표 없는 장소 {n}곳", "; {n} places without coordinates"),
    "sum_approximate": (
        "; 그중 {n}곳은 그 장소를 포함하는 곳의 지점(대략적 위치)",
        "; {n} of them at the point of a place containing them (approximate)",
    ),
    "sum_lifelines": ("{period}: 개체 {rows}개의 생애선", "{period}: lifelines of {rows} entities"),
    "sum_table": ("{period}: 사건 {rows}개", "{period}: {rows} events"),
    "sum_selected": ("; 선택: {what}", "; selected: {what}"),
    "sum_focus": ("; 초점: {what}", "; focus: {what}"),
    "shared_events": (
        "{a} – {b}: 함께한 사건 {n}개",
        "{a} – {b}: {n} shared events",
    ),
    "edge_tooltip": ("함께한 사건 {n}개", "{n} shared events"),
    "node_tooltip": ("{name} ({kind}): 사건 {n}개", "{name} ({kind}): {n} events"),
    "place_tooltip": ("{name}: 사건 {n}개", "{name}: {n} events"),
    "place_approximate": ("대략적 위치: {within}의 지점", "approximate: the point of {within}"),
    "place_approximate_unknown": (
        "대략적 위치: 이 장소 자체의 지점이 아님",
        "approximate: not the place's own point",
    ),
    "dense_row": ("사건 {n}개: 확대하면 하나씩 보입니다", "{n} events: zoom in to see each"),
    "col_date": ("날짜", "Date"),
    "col_title": ("제목", "Title"),
    "col_category": ("분류", "Category"),
    "col_source": ("출처", "Source"),
    "copy_rows": ("선택한 행 복사", "Copy selected rows"),
    "export_rows": ("행 내보내기…", "Export rows…"),
    "select_source": ("이 출처 선택", "Select this source"),
    "include_view": ("함께 넣기", "Include"),
    "timeline_only": ("타임라인만", "The timeline only"),
    "timeline_with": ("타임라인 + {view}", "Timeline + {view}"),
    "map_fit": ("장소에 맞추기", "Fit to places"),
    "basemap_credit": (
        "바탕 지도: Natural Earth (공공 저작물)",
        "Base map: Natural Earth (public domain)",
    ),
    "own_places_note": (
        "내가 만든 장소에는 좌표가 없어 지도에 그리지 않습니다.",
        "Places of your own have no coordinates and are not drawn.",
    ),
}
