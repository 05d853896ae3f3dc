from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from criteria.models import Year
from surveys.models import BallotUpload
from surveys.uploads import ballot_upload_check, ballot_upload_create, ballot_upload_import


class Command(BaseCommand):
    help = (
        "Nhập phiếu điều tra xã hội học (.xlsx, .ods, .xls hoặc .csv; dạng dài như trang ballots, "
        "hoặc dạng rộng: ballot, group, unit và một cột cho mỗi mã tiêu chí): thêm vào, thay "
        "thế các phiếu trùng số phiếu với --replace-ballots, hoặc thay thế toàn bộ phiếu của "
        "năm với --replace; tất cả hoặc không gì cả."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="tệp .xlsx, .ods, .xls hoặc .csv")
        parser.add_argument("--year", type=int, required=True)
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--replace", action="store_true", help="xóa mọi phiếu đã nhập của năm trước khi nhập"
        )
        mode.add_argument(
            "--replace-ballots",
            action="store_true",
            help="thay thế những phiếu đã lưu có cùng số phiếu với phiếu trong tệp",
        )

    def handle(self, *args, path, year, replace, replace_ballots, **options):
        year_obj = Year.objects.filter(year=year).first()
        if year_obj is None:
            raise CommandError(f"Không có năm đánh giá {year}.")
        mode = BallotUpload.Mode.APPEND
        if replace:
            mode = BallotUpload.Mode.REPLACE_YEAR
        elif replace_ballots:
            mode = BallotUpload.Mode.REPLACE_BALLOTS
        try:
            upload = ballot_upload_create(year=year_obj, path=path, mode=mode)
            upload = ballot_upload_check(upload=upload, path=path)
            if upload.status == BallotUpload.Status.REJECTED:
                more = upload.error_count - len(upload.errors)
                lines = [*upload.errors, *([f"… và {more} lỗi khác"] if more > 0 else [])]
                raise CommandError(
                    "\n".join([*lines, f"{upload.error_count} lỗi; không có phiếu nào được ghi."])
                )
            upload = ballot_upload_import(upload=upload)
        except (ValidationError, OSError) as error:
            lines = getattr(error, "messages", None) or [str(error)]
            raise CommandError(
                "\n".join([*lines, f"{len(lines)} lỗi; không có phiếu nào được ghi."])
            ) from None
        for note in upload.counts.get("notes", []):
            self.stdout.write(f"Ghi chú: {note}.")
        self.stdout.write(
            f"Đã nhập {upload.answers} câu trả lời ({upload.counts['new_ballots']} phiếu mới) "
            f"cho năm {year}."
        )
