"""Sample criteria trees whose area maxima are exactly those of DOMAIN.md §2.

The real sub-criteria are set by Quyết định 3396/QĐ-UBND (15/12/2022), which we do not
have: these names are realistic, the area totals are the published ones.

Each node: (code, name, max_points or None for inner nodes, options). Options: `rubric`
("threshold:points;…"), `survey` (a survey leaf), `deduction`, `counts` (0/1 on areas).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Node:
    code: str
    name: str
    max_points: Decimal | None = None
    rubric: str = ""
    survey: bool = False
    deduction: bool = False
    bonus: bool = False
    counts: bool | None = None


def n(code, name, max_points=None, **options) -> Node:
    return Node(code, name, None if max_points is None else Decimal(str(max_points)), **options)


def _direction(extra_commune: bool) -> list[Node]:
    nodes = [
        n("1", "Công tác chỉ đạo, điều hành cải cách hành chính"),
        n("1.1", "Kế hoạch cải cách hành chính năm"),
        n("1.1.1", "Ban hành kế hoạch CCHC năm kịp thời, đúng quy định", 1),
        n("1.1.2", 'Kế hoạch xác định đầy đủ nhiệm vụ theo tinh thần "5 rõ"', 1),
        n(
            "1.1.3",
            "Mức độ thực hiện kế hoạch CCHC (tỷ lệ % nhiệm vụ hoàn thành)",
            1,
            rubric="100:1;80:0,5;0:0",
        ),
        n("1.2", "Báo cáo cải cách hành chính"),
        n("1.2.1", "Số lượng, chất lượng báo cáo CCHC định kỳ", 1),
        n("1.2.2", "Thời gian gửi báo cáo theo quy định", 1),
        n("1.3", "Kiểm tra công tác cải cách hành chính"),
        n("1.3.1", "Ban hành kế hoạch kiểm tra CCHC", 0.5),
        n(
            "1.3.2",
            "Tỷ lệ % đơn vị trực thuộc được kiểm tra trong năm",
            1,
            rubric="30:1;20:0,5;0:0",
        ),
        n("1.3.3", "Xử lý các tồn tại, hạn chế phát hiện qua kiểm tra", 1),
        n("1.4", "Công tác tuyên truyền cải cách hành chính"),
        n("1.4.1", "Ban hành kế hoạch tuyên truyền CCHC", 0.5),
        n("1.4.2", "Mức độ thực hiện kế hoạch tuyên truyền", 1.5),
        n("1.5", "Sáng kiến, giải pháp mới trong cải cách hành chính"),
        n("1.5.1", "Có sáng kiến, giải pháp mới được cấp có thẩm quyền công nhận", 2),
        n("1.6", "Thực hiện nhiệm vụ UBND tỉnh giao"),
        n(
            "1.6.1",
            "Tỷ lệ % nhiệm vụ UBND tỉnh giao hoàn thành đúng hạn",
            2,
            rubric="100:2;90:1;0:0",
        ),
        n("1.6.2", "Thực hiện chỉ đạo của Ban Chỉ đạo CCHC tỉnh", 1),
    ]
    if extra_commune:
        nodes += [
            n("1.7", "Chỉ đạo, kiểm tra CCHC đối với UBND cấp xã"),
            n("1.7.1", "Đánh giá, xác định Chỉ số CCHC của UBND cấp xã", 1),
        ]
    return nodes


def _institutions(district: bool) -> list[Node]:
    if district:
        return [
            n("2", "Cải cách thể chế"),
            n("2.1", "Xây dựng và ban hành văn bản quy phạm pháp luật"),
            n("2.1.1", "Thực hiện quy trình xây dựng văn bản QPPL", 1),
            n("2.1.2", "Tỷ lệ % văn bản QPPL ban hành đúng kế hoạch", 1, rubric="100:1;80:0,5;0:0"),
            n("2.2", "Rà soát, hệ thống hóa văn bản quy phạm pháp luật"),
            n("2.2.1", "Ban hành kế hoạch rà soát, hệ thống hóa", 0.5),
            n("2.2.2", "Xử lý kết quả rà soát", 1),
            n("2.3", "Tổ chức thi hành pháp luật"),
            n("2.3.1", "Kế hoạch theo dõi tình hình thi hành pháp luật", 1),
            n("2.3.2", "Kiểm tra, xử lý văn bản quy phạm pháp luật", 1),
        ]
    return [
        n("2", "Cải cách thể chế"),
        n("2.1", "Tham mưu xây dựng văn bản quy phạm pháp luật"),
        n("2.1.1", "Thực hiện quy trình xây dựng văn bản QPPL", 2),
        n(
            "2.1.2",
            "Tỷ lệ % văn bản QPPL tham mưu ban hành đúng kế hoạch",
            2,
            rubric="100:2;80:1;0:0",
        ),
        n("2.2", "Rà soát, hệ thống hóa văn bản quy phạm pháp luật"),
        n("2.2.1", "Ban hành kế hoạch rà soát, hệ thống hóa", 1),
        n("2.2.2", "Xử lý kết quả rà soát", 2),
        n("2.3", "Tổ chức thi hành pháp luật"),
        n("2.3.1", "Kế hoạch theo dõi tình hình thi hành pháp luật", 1),
        n("2.3.2", "Kiểm tra, xử lý văn bản quy phạm pháp luật", 2),
    ]


def _procedures(year: int, district: bool) -> list[Node]:
    digitisation = (
        n(
            "3.4.1",
            "Tỷ lệ % hồ sơ, kết quả giải quyết TTHC được số hóa",
            2,
            rubric="100:2;80:1;50:0,5;0:0",
        )
        if year >= 2022
        # The digitisation criterion entered the set in 2022 (report 27/BC-UBND, V.1).
        else n(
            "3.4.1",
            "Tỷ lệ % hồ sơ TTHC tiếp nhận, trả kết quả qua bưu chính công ích",
            2,
            rubric="30:2;10:1;0:0",
        )
    )
    return [
        n("3", "Cải cách thủ tục hành chính"),
        n("3.1", "Kiểm soát thủ tục hành chính"),
        n("3.1.1", "Tham mưu công bố danh mục TTHC kịp thời", 2),
        n("3.1.2", "Rà soát, đơn giản hóa thủ tục hành chính", 2),
        n("3.2", "Công khai thủ tục hành chính"),
        n("3.2.1", "Công khai đầy đủ TTHC tại Bộ phận Một cửa", 1.5),
        n("3.2.2", "Công khai TTHC trên Cổng Dịch vụ công", 1.5),
        n("3.3", "Thực hiện cơ chế một cửa, một cửa liên thông"),
        n("3.3.1", "Tỷ lệ % hồ sơ TTHC giải quyết đúng hạn", 2, rubric="100:2;95:1,5;90:1;0:0"),
        n("3.3.2", "Thực hiện liên thông TTHC cùng cấp và giữa các cấp", 1.5),
        n(
            "3.3.3",
            "Xin lỗi người dân, tổ chức khi hồ sơ giải quyết quá hạn",
            1 if district else 1.5,
        ),
        n("3.4", "Số hóa và giải quyết hồ sơ thủ tục hành chính"),
        digitisation,
        n("3.4.2", "Tỷ lệ hồ sơ tạm dừng giải quyết trên hệ thống", 1),
        n("3.4.3", "Tiếp nhận, xử lý phản ánh, kiến nghị về TTHC", 1),
    ]


def _organisation(district: bool) -> list[Node]:
    nodes = [
        n("4", "Cải cách tổ chức bộ máy hành chính nhà nước"),
        n("4.1", "Sắp xếp tổ chức bộ máy"),
        n("4.1.1", "Thực hiện quy định về cơ cấu tổ chức", 1.5),
        n("4.1.2", "Sắp xếp tổ chức bên trong theo kế hoạch của UBND tỉnh", 1.5),
        n("4.2", "Quản lý biên chế"),
        n("4.2.1", "Sử dụng biên chế được giao", 1),
        n("4.2.2", "Thực hiện tinh giản biên chế", 1),
        n("4.3", "Thực hiện phân cấp quản lý"),
        n("4.3.1", "Thực hiện nhiệm vụ được phân cấp", 1.5),
    ]
    if district:
        nodes += [
            n("4.4", "Quản lý đơn vị hành chính cấp xã"),
            n("4.4.1", "Sắp xếp đơn vị hành chính cấp xã", 1),
            n("4.4.2", "Quản lý thôn, khu dân cư", 1),
        ]
    return nodes


def _civil_service(district: bool) -> list[Node]:
    nodes = [
        n("5", "Cải cách chế độ công vụ"),
        n("5.1", "Vị trí việc làm"),
        n("5.1.1", "Xây dựng, điều chỉnh vị trí việc làm", 1),
        n("5.1.2", "Bố trí công chức theo vị trí việc làm được phê duyệt", 1),
        n("5.2", "Tuyển dụng, bổ nhiệm"),
        n("5.2.1", "Thực hiện quy định về tuyển dụng", 1.5),
        n("5.2.2", "Thực hiện quy định về bổ nhiệm lãnh đạo, quản lý", 1),
        n("5.3", "Đào tạo, bồi dưỡng và đánh giá"),
        n("5.3.1", "Tỷ lệ % CBCC được bồi dưỡng theo kế hoạch", 1, rubric="100:1;80:0,5;0:0"),
        n("5.3.2", "Đánh giá, xếp loại cán bộ, công chức", 1),
        n("5.4", "Kỷ luật, kỷ cương hành chính"),
        n("5.4.1", "Chấp hành kỷ luật, kỷ cương hành chính", 2),
        n("5.4.2", "Chuyển đổi vị trí công tác theo quy định", 1),
        n(
            "5.5",
            "Điểm trừ: lãnh đạo, quản lý bị xử lý kỷ luật hoặc vi phạm pháp luật",
            2,
            deduction=True,
        ),
    ]
    if district:
        nodes += [
            n("5.6", "Cán bộ, công chức cấp xã"),
            n("5.6.1", "Tỷ lệ cán bộ, công chức cấp xã đạt chuẩn", 1),
            n("5.6.2", "Bồi dưỡng cán bộ, công chức cấp xã", 1),
        ]
    return nodes


def _public_finance(district: bool) -> list[Node]:
    nodes = [
        n("6", "Cải cách tài chính công"),
        n("6.1", "Quản lý, sử dụng ngân sách"),
        n("6.1.1", "Thực hiện dự toán ngân sách được giao", 1.5),
        n("6.1.2", "Công khai ngân sách theo quy định", 1.5),
        n("6.2", "Cơ chế tự chủ tài chính"),
        n("6.2.1", "Thực hiện cơ chế tự chủ của đơn vị sự nghiệp công lập trực thuộc", 1.5),
        n("6.3", "Thực hành tiết kiệm, chống lãng phí"),
        n("6.3.1", "Thực hành tiết kiệm, chống lãng phí trong chi thường xuyên", 1.5),
    ]
    if district:
        nodes += [
            n("6.4", "Quản lý tài chính, ngân sách cấp xã"),
            n("6.4.1", "Kiểm tra quản lý tài chính, ngân sách cấp xã", 1),
        ]
    return nodes


def _e_government() -> list[Node]:
    return [
        n("7", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số"),
        n("7.1", "Ứng dụng công nghệ thông tin trong quản lý, điều hành"),
        n("7.1.1", "Sử dụng hệ thống quản lý văn bản và điều hành", 1.5),
        n("7.1.2", "Sử dụng chữ ký số trong gửi, nhận văn bản điện tử", 1.5),
        n("7.2", "Cung cấp dịch vụ công trực tuyến"),
        n(
            "7.2.1",
            "Tỷ lệ % hồ sơ giải quyết trực tuyến toàn trình",
            2,
            rubric="80:2;50:1;30:0,5;0:0",
        ),
        n("7.2.2", "Thanh toán trực tuyến phí, lệ phí", 1),
        n("7.2.3", "Tích hợp, kết nối với Cổng Dịch vụ công quốc gia", 1),
        n("7.3", "Chuyển đổi số"),
        n("7.3.1", "Ban hành kế hoạch chuyển đổi số", 1),
        n("7.3.2", "Kết quả thực hiện kế hoạch chuyển đổi số", 1),
    ]


ORGANISATION_QUESTIONS = [
    "Công tác chỉ đạo, điều hành CCHC của cơ quan",
    "Chất lượng văn bản do cơ quan tham mưu, ban hành",
    "Công khai, minh bạch và giải quyết thủ tục hành chính",
    "Tinh thần, thái độ phục vụ của cán bộ, công chức",
    "Ứng dụng công nghệ thông tin, chuyển đổi số",
]
SIPAS_QUESTIONS = [
    "Tiếp cận dịch vụ hành chính công",
    "Thủ tục hành chính",
    "Công chức trực tiếp giải quyết công việc",
    "Kết quả giải quyết thủ tục hành chính",
    "Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị",
]


def _survey(code: str, organisations_max: list, name_suffix: str) -> list[Node]:
    nodes = [
        n(code, "Đánh giá qua điều tra xã hội học"),
        n(f"{code}.1", f"Ý kiến đánh giá của các tổ chức{name_suffix}"),
    ]
    nodes += [
        n(f"{code}.1.{i}", ORGANISATION_QUESTIONS[i - 1], points, survey=True)
        for i, points in enumerate(organisations_max, start=1)
    ]
    nodes.append(n(f"{code}.2", "Sự hài lòng của người dân, doanh nghiệp (SIPAS)"))
    nodes += [n(f"{code}.2.{i}", SIPAS_QUESTIONS[i - 1], 2, survey=True) for i in range(1, 6)]
    return nodes


def department_tree(year: int) -> list[Node]:
    """Block A, total 100: 71,5 by evidence + 28,5 by survey (18,5 + 10)."""
    return (
        _direction(False)
        + _institutions(False)
        + _procedures(year, False)
        + _organisation(False)
        + _civil_service(False)
        + _public_finance(False)
        + _e_government()
        + _survey("8", [4, 4, 3.5, 3.5, 3.5], "")
    )


def district_tree(year: int) -> list[Node]:
    """Block B, total 100: 72,5 + 6,5 by evidence + 21 by survey (11 + 10)."""
    return (
        _direction(True)
        + _institutions(True)
        + _procedures(year, True)
        + _organisation(True)
        + _civil_service(True)
        + _public_finance(True)
        + _e_government()
        + [
            # Not a content area of QĐ 29/2018: it does not count for the head's class.
            n("8", "Tác động của CCHC đến phát triển kinh tế - xã hội", counts=False),
            n("8.1", "Tác động đến phát triển kinh tế"),
            n("8.1.1", "Thu hút đầu tư trên địa bàn", 1.5),
            n("8.1.2", "Tăng trưởng số doanh nghiệp thành lập mới", 1),
            n("8.1.3", "Thực hiện dự toán thu ngân sách", 1),
            n("8.2", "Tác động đến phát triển xã hội"),
            n("8.2.1", "Giảm tỷ lệ hộ nghèo", 1),
            n("8.2.2", "Xây dựng nông thôn mới, đô thị văn minh", 1),
            n("8.2.3", "Bảo đảm quốc phòng, an ninh, trật tự an toàn xã hội", 1),
        ]
        + _survey("9", [3, 3, 2.5, 2.5], " cấp tỉnh")
    )
