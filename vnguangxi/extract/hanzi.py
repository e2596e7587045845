"""Traditional characters to simplified and full-width digits to ASCII, one for one (offsets are kept), for
the words the rules read: numbers, units, dates, qualifiers, and the Han names of places and people."""

from __future__ import annotations

_PAIRS = (
    "億亿 萬万 兩两 幣币 噸吨 項项 個个 屆届 輛辆 車车 線线 條条 場场 國国 區区 關关 橋桥 門门 業业 貿贸 進进 額额"
    " 對对 種种 類类 會会 議议 團团 遊游 標标 餘余 來来 連连 續续 較较 為为 與与 際际 務务 過过 達达 將将 計计"
    " 劃划 預预 爭争 現现 開开 發发 產产 營营 點点 號号 週周 歲岁 時时 鐘钟 頃顷 畝亩 輪轮 齊齐 從从 後后 間间"
    " 組组 書书 記记 黨党 員员 舉举 簽签 協协 動动 約约 論论 壇坛 覽览 屬属 島岛 廣广 東东 館馆 運运 輸输 邊边 境境"
    # and those of place and person names, so that the gazetteer's simplified names find traditional text
    " 誼谊 憑凭 寧宁 興兴 龍龙 溝沟 陽阳 瀾澜 縣县 鄉乡 鎮镇 華华 濱滨 貴贵 陸陆 嶺岭 風风 頭头 樂乐 鐵铁 灘滩 蘭兰"
    " 葉叶 劉刘 陳陈 黃黄 韋韦 張张 楊杨 趙赵 吳吴 鄧邓 蘇苏 鄭郑 盧卢 謝谢 羅罗 龔龚 馮冯 錢钱 孫孙 許许 鄒邹 嚴严"
    " 譚谭 賴赖 範范 內内 層层 紅红 長长 莊庄 壯壮 頂顶 瀑瀑 佈布 躍跃 彎弯 墾垦 鳳凤 聯联 濟济 貨货"
)
_MAP = str.maketrans(
    {
        **{pair[0]: pair[1] for pair in _PAIRS.split()},
        # full-width digits and signs, as some Chinese pages print them: ２０２４年, １２．５％
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "．": ".",
        "％": "%",
    }
)


def simplified(text: str) -> str:
    """The text with the traditional characters the rules read replaced by simplified ones; same length."""
    return text.translate(_MAP)
