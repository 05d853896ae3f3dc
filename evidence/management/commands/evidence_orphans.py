from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from evidence.services.uploads import evidence_orphans_delete, evidence_orphans_find, size_text


class Command(BaseCommand):
    help = (
        "Liệt kê tài liệu kiểm chứng không còn tiêu chí, phiên bản hay giải trình nào dùng, "
        "và tệp đã lưu không bản ghi nào trỏ tới; chỉ xóa khi có --delete (ghi nhật ký)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete", action="store_true", help="xóa những gì liệt kê (bản ghi và tệp)"
        )
        parser.add_argument(
            "--grace-minutes",
            type=int,
            default=60,
            help="bỏ qua tệp không bản ghi mới ghi trong chừng ấy phút (tải lên đang dở)",
        )

    def handle(self, *args, delete: bool, grace_minutes: int, **options):
        grace = timedelta(minutes=max(grace_minutes, 0))
        orphans = (evidence_orphans_delete if delete else evidence_orphans_find)(grace=grace)
        for row in orphans.rows:
            participation = row.participation
            self.stdout.write(
                f"{participation.unit.code} {participation.year.year} #{row.pk} "
                f"'{row.original_name}' {size_text(row.size)}, tải lên "
                f"{timezone.localtime(row.uploaded_at):%H:%M %d/%m/%Y}"
            )
        row_files = {row.file.name for row in orphans.rows}
        for name, size in orphans.files:
            if name not in row_files:
                self.stdout.write(f"tệp không bản ghi: {name} {size_text(size)}")
        verb = "Đã xóa" if delete else "Tìm thấy"
        self.stdout.write(
            f"{verb} {len(orphans.rows)} tài liệu không còn dùng và {len(orphans.files)} tệp "
            f"đã lưu ({size_text(orphans.bytes)})."
            + (
                ""
                if delete or not (orphans.rows or orphans.files)
                else " Chạy lại với --delete để xóa."
            )
        )
