"""The commune criteria set of Hải Phòng's 2025 assessment (wards, communes, đặc khu).

Invented, in the shape of the two-tier framework (QĐ 5666/QĐ-UBND of Hà Nội shows the
kind): total 100, of which 19 by survey (9 from organisations, 10 from citizens: SIPAS),
a bonus leaf outside every maximum (1.7) and a deduction leaf (5.5); measured leaves on
rubrics, the share of records digitised (3.4.1) among them. Departments keep the set of
demo/trees.py.
"""

from __future__ import annotations

from ..trees import Node, _survey, department_tree, n


def commune_tree(year: int) -> list[Node]:
    """81 by evidence + 19 by survey; the bonus adds to area 1, the deduction cuts area 5."""
    return [
        n("1", "Công tác chỉ đạo, điều hành cải cách hành chính"),
        n("1.1", "Kế hoạch cải cách hành chính năm"),
        n("1.1.1", "Ban hành kế hoạch CCHC năm kịp thời, đúng quy định", 1.5),
        n("1.1.2", "Tỷ lệ % nhiệm vụ của kế hoạch CCHC hoàn thành", 2, rubric="100:2;80:1;0:0"),
        n("1.2", "Báo cáo, kiểm tra, tuyên truyền cải cách hành chính"),
        n("1.2.1", "Báo cáo CCHC định kỳ đầy đủ, đúng hạn", 1.5),
        n("1.2.2", "Tuyên truyền CCHC đến tổ dân phố, thôn", 1.5),
        n("1.3", "Thực hiện nhiệm vụ UBND thành phố giao"),
        n(
            "1.3.1",
            "Tỷ lệ % nhiệm vụ thành phố giao hoàn thành đúng hạn",
            2,
            rubric="100:2;90:1;0:0",
        ),
        n("1.3.2", "Vận hành chính quyền địa phương hai cấp thông suốt", 1.5),
        n("1.7", "Điểm thưởng: mô hình, sáng kiến CCHC được thành phố công nhận", 1, bonus=True),
        n("2", "Cải cách thể chế"),
        n("2.1", "Ban hành văn bản quy phạm pháp luật của HĐND, UBND cấp xã"),
        n("2.1.1", "Thực hiện quy trình xây dựng văn bản QPPL", 2),
        n("2.1.2", "Tỷ lệ % văn bản QPPL ban hành đúng kế hoạch", 1.5, rubric="100:1,5;80:0,5;0:0"),
        n("2.2", "Rà soát văn bản và tổ chức thi hành pháp luật"),
        n("2.2.1", "Rà soát văn bản sau khi sắp xếp đơn vị hành chính", 2),
        n("2.2.2", "Phổ biến, giáo dục pháp luật; hòa giải ở cơ sở", 1.5),
        n("3", "Cải cách thủ tục hành chính"),
        n("3.1", "Công khai thủ tục hành chính"),
        n("3.1.1", "Công khai đầy đủ TTHC tại Trung tâm Phục vụ hành chính công", 2),
        n("3.1.2", "Công khai TTHC trên Cổng Dịch vụ công", 2),
        n("3.2", "Giải quyết thủ tục hành chính"),
        n("3.2.1", "Tỷ lệ % hồ sơ TTHC giải quyết đúng hạn", 3, rubric="100:3;95:2;90:1;0:0"),
        n("3.2.2", "Xin lỗi người dân, tổ chức khi hồ sơ giải quyết quá hạn", 1.5),
        n("3.2.3", "Tiếp nhận, giải quyết TTHC không phụ thuộc địa giới hành chính", 2),
        n("3.3", "Trung tâm Phục vụ hành chính công cấp xã"),
        n("3.3.1", "Bố trí cơ sở vật chất, nhân lực theo quy định", 2),
        n("3.3.2", "Tiếp nhận, xử lý phản ánh, kiến nghị về TTHC", 1.5),
        n("3.4", "Số hóa hồ sơ thủ tục hành chính"),
        n(
            "3.4.1",
            "Tỷ lệ % hồ sơ, kết quả giải quyết TTHC được số hóa",
            2.5,
            rubric="100:2,5;80:1,5;50:0,5;0:0",
        ),
        n("3.4.2", "Tái sử dụng dữ liệu đã số hóa", 1.5),
        n("4", "Cải cách tổ chức bộ máy"),
        n("4.1", "Tổ chức bộ máy sau sắp xếp"),
        n("4.1.1", "Kiện toàn các phòng chuyên môn, đơn vị sự nghiệp", 2),
        n("4.1.2", "Ban hành quy chế làm việc của UBND cấp xã", 1.5),
        n("4.2", "Quản lý biên chế, thôn, tổ dân phố"),
        n("4.2.1", "Sử dụng biên chế được giao", 2),
        n("4.2.2", "Quản lý thôn, tổ dân phố", 1.5),
        n("5", "Cải cách chế độ công vụ"),
        n("5.1", "Vị trí việc làm và bố trí công chức"),
        n("5.1.1", "Bố trí công chức theo vị trí việc làm", 2),
        n("5.1.2", "Tỷ lệ % công chức đạt chuẩn", 2, rubric="100:2;90:1;0:0"),
        n("5.2", "Đào tạo, bồi dưỡng và đánh giá"),
        n("5.2.1", "Bồi dưỡng công chức theo kế hoạch", 2),
        n("5.2.2", "Đánh giá, xếp loại cán bộ, công chức", 1.5),
        n("5.3", "Kỷ luật, kỷ cương hành chính"),
        n("5.3.1", "Chấp hành kỷ luật, kỷ cương hành chính", 2.5),
        n("5.5", "Điểm trừ: cán bộ, công chức bị xử lý kỷ luật", 2, deduction=True),
        n("6", "Cải cách tài chính công"),
        n("6.1", "Quản lý ngân sách cấp xã"),
        n("6.1.1", "Thực hiện dự toán thu, chi ngân sách", 2),
        n("6.1.2", "Công khai ngân sách theo quy định", 1.5),
        n("6.2", "Quản lý tài sản công"),
        n("6.2.1", "Quản lý, bàn giao tài sản công sau sắp xếp", 2),
        n("6.2.2", "Thực hành tiết kiệm, chống lãng phí", 1.5),
        n("7", "Xây dựng chính quyền số"),
        n("7.1", "Ứng dụng công nghệ thông tin trong điều hành"),
        n("7.1.1", "Sử dụng hệ thống quản lý văn bản và điều hành", 2),
        n("7.1.2", "Sử dụng chữ ký số trong gửi, nhận văn bản", 2),
        n("7.2", "Dịch vụ công trực tuyến"),
        n(
            "7.2.1",
            "Tỷ lệ % hồ sơ giải quyết trực tuyến toàn trình",
            3,
            rubric="80:3;50:2;30:1;0:0",
        ),
        n("7.2.2", "Thanh toán trực tuyến phí, lệ phí", 2),
        n("7.3", "Chuyển đổi số"),
        n("7.3.1", "Cung cấp dữ liệu cho cơ sở dữ liệu dùng chung của thành phố", 2.5),
        n("7.3.2", "Tổ công nghệ số cộng đồng hoạt động hiệu quả", 2.5),
        # Not a content area of QĐ 29/2018: it does not count for the head's class.
        n("8", "Tác động của CCHC đến phát triển kinh tế - xã hội", counts=False),
        n("8.1", "Tác động đến phát triển kinh tế - xã hội"),
        n("8.1.1", "Thực hiện dự toán thu ngân sách trên địa bàn", 2),
        n("8.1.2", "Tăng trưởng số hộ kinh doanh, doanh nghiệp mới", 2),
        n("8.1.3", "Bảo đảm an ninh, trật tự trên địa bàn", 2),
        n("8.1.4", "Giảm tỷ lệ hộ nghèo, hộ cận nghèo", 2),
    ] + _survey("9", [2.5, 2.5, 2, 2], " cấp thành phố")


def tree_for(block: str, year: int) -> list[Node]:
    return department_tree(year) if block == "S" else commune_tree(year)
