"""Traditional characters to simplified, one for one (offsets are kept), for the words the rules read:
numbers, units, dates, qualifiers. Place names are matched in the form written, through the aliases."""

from __future__ import annotations

_PAIRS = (
    "億亿 萬万 兩两 幣币 噸吨 項项 個个 屆届 輛辆 車车 線线 條条 場场 國国 區区 關关 橋桥 門门 業业 貿贸 進进 額额"
    " 對对 種种 類类 會会 議议 團团 遊游 標标 餘余 來来 連连 續续 較较 為为 與与 際际 務务 過过 達达 約约 將将 計计"
    " 劃划 預预 爭争 現现 開开 發发 產产 營营 點点 號号 週周 歲岁 時时 鐘钟 頃顷 畝亩 輪轮 批批 齊齐 從从 後后 間间"
    " 書书 記记 黨党 員员 舉举 簽签 協协 動动 約约 論论 壇坛 覽览 屬属 島岛 灣湾 廣广 東东 館馆 運运 輸输 邊边 境境"
)
_MAP = str.maketrans({pair[0]: pair[1] for pair in _PAIRS.split()})


def simplified(text: str) -> str:
    """The text with the traditional characters the rules read replaced by simplified ones; same length."""
    return text.translate(_MAP)
