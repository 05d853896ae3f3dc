"""One row of every kind INTERFACES §2 rejects, and the error line each must produce;
shared by the command and the browser preview tests."""

from .conftest import HEADER

BAD_ROWS = [
    HEADER,
    ["P3", "hdnd", "A1", "2.1.1", "B"],
    ["P3", "hdnd", "A9", "2.1.1", "B"],
    ["P3", "nguoi_dan", "A18", "2.1.1", "B"],
    ["P3", "hdnd", "A1", "2.1.1", "C"],
    ["P4", "nguoi_dan", "A1", "2.1.2", "A"],
    ["P4", "nguoi_dan", "A1", "2.1.1", "Z"],
    ["P4", "nguoi_dan", "A1", "1.1", "A"],
    ["P1", "hdnd", "A1", "2.1.1", "A"],
    ["P2", "hdnd", "A18", "2.1.2", "A"],
    ["", "hdnd", "A18", "2.1.2", "A"],
    ["P5", "mttq", "A1", "2.1.1", "A"],
    ["P" * 41, "hdnd", "A1", "2.1.1", "A"],
    ["P6", "hdnd", "A1", "2.1.1", ""],
    ["P6", "hdnd", "A1", "2.2", "A"],
]
BAD_ROW_ERRORS = [
    "ballots!3: unit: đơn vị 'A9' không tham gia năm 2022",
    "ballots!4: group: phiếu 'P3' đã thuộc nhóm 'hdnd' (dòng 2), không thể thuộc nhóm 'nguoi_dan'",
    "ballots!5: criterion: phiếu 'P3' trả lời tiêu chí '2.1.1' về đơn vị 'A1' hai lần (dòng 2)",
    "ballots!6: group: nhóm 'nguoi_dan' không được hỏi tiêu chí '2.1.2' của khối A",
    "ballots!7: option: phương án 'Z' không có trong thang đo 'muc4'",
    "ballots!8: criterion: tiêu chí '1.1' không phải tiêu chí lá chấm qua điều tra xã hội học",
    "ballots!9: criterion: phiếu 'P1' đã có câu trả lời cho tiêu chí '2.1.1' về đơn vị 'A1' "
    "(đã lưu)",
    "ballots!10: group: phiếu 'P2' đã thuộc nhóm 'nguoi_dan' (đã lưu), không thể thuộc nhóm 'hdnd'",
    "ballots!11: ballot: bắt buộc, không được để trống",
    "ballots!12: group: nhóm đối tượng 'mttq' không có trong năm 2022",
    "ballots!13: ballot: số phiếu dài quá 40 ký tự",
    "ballots!14: option: bắt buộc, không được để trống",
    "ballots!15: criterion: tiêu chí '2.2' của khối A chưa có câu hỏi (trang questions)",
]
