# ruff: noqa: E501 - the demo questions read best one option list per line
"""Demo question bank and quizzes (DEMO.md section C). Idempotent.

Runs after ``courses.demo``: it adds a quiz as the last child of each demo
course it finds by slug, and gives demo cadres passed and failed attempts.
Cadres the courses demo already marked complete get a passed attempt, so a
completion always has the quiz result behind it. Without the courses, only
the question bank is loaded.
"""

import random
from decimal import Decimal

from django.db import transaction

from courses.models import Completion, CourseIndexPage, CoursePage, Enrolment

from . import services
from .formats import ParsedAnswer, ParsedQuestion
from .models import Attempt, Question, QuizPage, QuizQuestion

TOPICS = {
    "an-toan": "Chủ đề 1: An toàn thông tin và phòng chống lừa đảo trực tuyến",
    "dinh-danh": "Chủ đề 2: Định danh điện tử, dịch vụ công trực tuyến và “Bình dân học vụ số”",
    "mat-tran": "Chủ đề 3: Tổ chức Mặt trận và chuyển đổi số trong công tác Mặt trận",
}

# (question, options, index of the correct option, general feedback)
QUESTIONS = {
    "an-toan": [
        ("Có người gọi điện tự xưng là cán bộ công an, yêu cầu anh/chị chuyển tiền vào một tài khoản để “phục vụ điều tra”. Anh/chị nên làm gì?",
         ["Chuyển tiền ngay.", "Đọc số CCCD và mã OTP để họ kiểm tra.", "Cảnh giác, không làm theo; liên hệ trực tiếp cơ quan công an gần nhất để xác minh.", "Gửi ảnh thẻ ngân hàng qua Zalo."], 2, ""),
        ("Mã OTP ngân hàng gửi về điện thoại được phép cung cấp cho ai?",
         ["Nhân viên ngân hàng gọi đến.", "Người tự xưng là công an.", "Không cung cấp cho bất kỳ ai.", "Người thân nhắn tin hỏi."], 2, ""),
        ("Tài khoản Zalo của người thân nhắn hỏi vay tiền gấp. Việc đầu tiên nên làm là:",
         ["Chuyển ngay vì là người thân.", "Gọi điện hoặc gặp trực tiếp để xác nhận lại.", "Chuyển một nửa số tiền.", "Chia sẻ tin nhắn lên mạng xã hội."], 1, ""),
        ("Khi nhận thư điện tử hoặc tin nhắn có đường link và tệp đính kèm từ địa chỉ không xác định, anh/chị nên:",
         ["Mở tệp để xem nội dung.", "Bấm link để kiểm tra.", "Không bấm vào link, không mở tệp đính kèm.", "Chuyển tiếp cho đồng nghiệp."], 2, ""),
        ("Dấu hiệu nào cho thấy website giao dịch có kết nối bảo mật (nhưng vẫn phải kiểm tra đúng tên miền chính thức)?",
         ["Có nhiều quảng cáo.", "Địa chỉ bắt đầu bằng “https” và có biểu tượng ổ khóa.", "Giao diện nhiều màu sắc.", "Có số điện thoại di động để liên hệ."], 1,
         "Ổ khóa chỉ cho biết kết nối được mã hóa; trang lừa đảo cũng có thể có ổ khóa, nên luôn kiểm tra tên miền."),
        ("Việc cho người lạ mượn, thuê căn cước hoặc nhờ mở tài khoản ngân hàng hộ:",
         ["Được, nếu được trả tiền.", "Tuyệt đối không làm.", "Được, nếu là người cùng xóm.", "Được, nếu chỉ trong một tháng."], 1, ""),
        ("Những thông tin nào nên hạn chế công khai trên mạng xã hội?",
         ["Sở thích nấu ăn.", "Ngày sinh, số căn cước, số điện thoại, số tài khoản ngân hàng.", "Tên bài hát yêu thích.", "Ảnh phong cảnh."], 1, ""),
        ("Khi phát hiện mình đã bị lừa đảo trực tuyến, cần làm gì?",
         ["Im lặng cho qua.", "Báo ngay cho cơ quan công an gần nhất (hoặc tố giác qua Cổng TTĐT Bộ Công an).", "Chuyển thêm tiền để “lấy lại” số đã mất.", "Xóa hết tin nhắn."], 1, ""),
        ("Để bảo vệ tài khoản mạng xã hội, anh/chị nên:",
         ["Thường xuyên kiểm tra, cập nhật cài đặt bảo mật và quyền riêng tư.", "Dùng chung mật khẩu cho mọi tài khoản.", "Cho người khác mượn tài khoản.", "Tắt mọi thông báo bảo mật."], 0, ""),
        ("Với tài khoản ngân hàng dùng để giao dịch trực tuyến, khuyến cáo là:",
         ["Để số dư càng lớn càng tốt.", "Không nên để số dư quá lớn.", "Chia sẻ số tài khoản và mật khẩu với người thân.", "Đăng nhập trên máy tính công cộng."], 1, ""),
    ],
    "dinh-danh": [
        ("Văn bản quy định về định danh và xác thực điện tử ban hành năm 2024 là:",
         ["NĐ 30/2020/NĐ-CP.", "NĐ 69/2024/NĐ-CP.", "QĐ 757/QĐ-BKHCN.", "Luật 97/2025/QH15."], 1, ""),
        ("Tài khoản định danh điện tử của công dân có mấy mức độ?", ["1.", "2.", "3.", "4."], 1, ""),
        ("Đặc điểm của tài khoản định danh điện tử mức độ 2 là:",
         ["Tự đăng ký trên ứng dụng, không cần sinh trắc học.", "Dành cho công dân Việt Nam, đăng ký trực tiếp tại cơ quan công an, có thu nhận sinh trắc học và sử dụng được toàn bộ tính năng.", "Chỉ dùng để xem tin tức.", "Dành riêng cho người nước ngoài."], 1, ""),
        ("Tài khoản định danh điện tử mức độ 2 có giá trị sử dụng tương đương:",
         ["Thẻ bảo hiểm y tế.", "Thẻ căn cước công dân.", "Giấy phép lái xe.", "Sổ hộ khẩu."], 1, ""),
        ("Địa chỉ nền tảng học trực tuyến “Bình dân học vụ số” là:",
         ["binhdanhocvuso.gov.vn", "onetouch.vn", "dichvucong.com", "hocso.vn"], 0, ""),
        ("Để tham gia học trên nền tảng Bình dân học vụ số, người học đăng nhập bằng:",
         ["Tài khoản Facebook.", "Tài khoản VNeID.", "Số điện thoại bất kỳ.", "Email công vụ."], 1, ""),
        ("Nền tảng Bình dân học vụ số được đưa vào vận hành chính thức trên toàn quốc từ ngày:",
         ["02/9/2024.", "01/4/2025.", "01/7/2025.", "01/01/2026."], 1, ""),
        ("Trên nền tảng Bình dân học vụ số, người học có được học bài tiếp theo khi chưa hoàn thành bài trước không?",
         ["Có, học tùy ý.", "Không, phải học đúng thứ tự lộ trình.", "Chỉ được bỏ qua bài kiểm tra.", "Chỉ cán bộ mới được bỏ qua."], 1, ""),
        ("Ứng dụng công dân số của tỉnh Thái Nguyên là:",
         ["Hanoi SmartCity.", "C-Thái Nguyên.", "Đà Nẵng Smart City.", "Mặt trận số."], 1,
         "Một tính năng của C-Thái Nguyên là “phản ánh hiện trường”."),
        ("“Khung kiến thức, kỹ năng số cơ bản” (phiên bản 1.0) do Bộ Khoa học và Công nghệ ban hành kèm theo:",
         ["Thông tư 02/2025/TT-BGDĐT.", "Quyết định 757/QĐ-BKHCN ngày 29/4/2025.", "Nghị định 69/2024/NĐ-CP.", "Kế hoạch 02-KH/BCĐ tỉnh Thái Nguyên."], 1, ""),
    ],
    "mat-tran": [
        ("Từ ngày 01/7/2025, khi không còn cấp huyện, Ủy ban MTTQ Việt Nam được tổ chức ở các cấp:",
         ["Trung ương, tỉnh, huyện, xã.", "Trung ương, tỉnh, xã.", "Chỉ Trung ương và tỉnh.", "Tỉnh và huyện."], 1, ""),
        ("Ban Công tác Mặt trận được tổ chức ở đâu?",
         ["Ở cấp huyện.", "Ở khu dân cư (thôn, xóm, bản, tổ dân phố) và không phải là một cấp hành chính.", "Ở cơ quan Trung ương.", "Ở các sở, ngành."], 1, ""),
        ("Địa chỉ truy cập nền tảng “Mặt trận số” là:",
         ["mattran.org.vn", "app.mattranso.vn", "dichvucong.gov.vn", "binhdanhocvuso.gov.vn"], 1, ""),
        ("Nền tảng “Mặt trận số” gồm bao nhiêu phần mềm cốt lõi?", ["3.", "4.", "5.", "8."], 2, ""),
        ("Người dân có thể gửi phản ánh, kiến nghị trực tiếp đến MTTQ qua địa chỉ:",
         ["pakn.mattranso.vn", "onetouch.mic.gov.vn", "vneid.gov.vn", "cthainguyen.vn"], 0, ""),
        ("Các phần mềm trên nền tảng “Mặt trận số” kết nối với nhau bằng:",
         ["Mỗi phần mềm một tài khoản riêng.", "Đăng nhập một lần (OpenID): một tài khoản dùng cho tất cả.", "Gửi mật khẩu qua email.", "Không cần đăng nhập."], 1, ""),
        ("Trên hệ thống tiếp nhận phản ánh, kiến nghị của “Mặt trận số”, kiến nghị được xử lý như thế nào?",
         ["Kiến nghị thuộc cấp nào thì MTTQ cấp đó tiếp nhận, phản hồi; phản hồi được công khai trên trang chủ.", "Mọi kiến nghị đều chuyển về Trung ương.", "Kiến nghị không được phản hồi.", "Chỉ cán bộ mới xem được phản hồi."], 0, ""),
        ("Theo Quy định 301-QĐ/TW, Ban Thường trực Ủy ban MTTQ Việt Nam cấp tỉnh có:",
         ["3–5 đồng chí.", "7–9 đồng chí.", "11–13 đồng chí.", "Không giới hạn."], 1, ""),
        ("“Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư” được tổ chức hằng năm vào dịp ngày truyền thống MTTQ Việt Nam:",
         ["03/02.", "19/5.", "18/11.", "22/12."], 2, ""),
        ("Sau sắp xếp theo Nghị quyết 1683/NQ-UBTVQH15, tỉnh Thái Nguyên (mới) có bao nhiêu đơn vị hành chính cấp xã?",
         ["37.", "55.", "92.", "172."], 2, ""),
    ],
}  # fmt: skip

# Course slug -> (topic, fixed: every question of the topic; otherwise N drawn at random)
QUIZZES = {
    "an-toan-thong-tin": ("an-toan", None),
    "dinh-danh-dien-tu-vneid": ("dinh-danh", None),
    "mat-tran-so": ("mat-tran", None),
    "ky-nang-so-co-ban": ("dinh-danh", 5),
    "van-ban-dien-tu-chu-ky-so": ("mat-tran", 5),
    "giam-sat-phan-bien-so": ("mat-tran", 5),
    "truyen-thong-so": ("an-toan", 5),
    "ung-dung-ai": ("an-toan", 5),
}
QUIZ_SLUG = "bai-kiem-tra"
FAILED_PER_QUIZ = 2
PASSED_PER_QUIZ = 2


def _bank() -> dict[str, object]:
    categories = {}
    for key, name in TOPICS.items():
        category = services.category_get_or_create(path=name.replace("/", "-"))
        categories[key] = category
        existing = set(Question.objects.filter(category=category).values_list("name", flat=True))
        for number, (text, options, right, feedback) in enumerate(QUESTIONS[key], start=1):
            name = f"{key}-{number:02d}"
            if name in existing:
                continue
            services.question_create(
                parsed=ParsedQuestion(
                    line=number,
                    qtype="single",
                    name=name,
                    text=text,
                    general_feedback=feedback,
                    answers=[
                        ParsedAnswer(option, Decimal(100 if i == right else 0))
                        for i, option in enumerate(options)
                    ],
                    tags=[key],
                ),
                category=category,
            )
    return categories


def _quiz(course: CoursePage, category, fixed_count) -> QuizPage:
    quiz = QuizPage.objects.child_of(course).filter(slug=QUIZ_SLUG).first()
    if quiz is not None:
        return quiz
    random_draw = fixed_count is not None
    quiz = QuizPage(
        title="Bài kiểm tra cuối khóa",
        slug=QUIZ_SLUG,
        intro="<p>Chọn một đáp án đúng cho mỗi câu. Cần đạt từ 80% để hoàn thành khóa học.</p>",
        pass_mark=Decimal(80),
        attempts_allowed=3,
        # Three attempts: the answers wait for the last one (or the close).
        review_when=QuizPage.ReviewWhen.AFTER_LAST_ATTEMPT,
        time_limit_minutes=20,
        selection=QuizPage.Selection.RANDOM if random_draw else QuizPage.Selection.FIXED,
        random_category=category if random_draw else None,
        random_count=fixed_count or 10,
    )
    course.add_child(instance=quiz)
    if not random_draw:
        for i, question in enumerate(Question.objects.filter(category=category).order_by("name")):
            QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=i)
    quiz.save_revision().publish()
    return QuizPage.objects.get(pk=quiz.pk)


def _attempt(quiz: QuizPage, enrolment: Enrolment, *, passing: bool, rng: random.Random) -> None:
    try:
        attempt = services.attempt_start(quiz=quiz, cadre=enrolment.cadre, rng=rng)
    except services.AttemptError:
        return  # attempts used up or the quiz closed: leave the cadre as they are
    slots = list(attempt.slots.select_related("question").order_by("number"))
    wrong_slots = 0 if passing else max(1, len(slots) // 2)
    for slot in slots:
        answers = list(slot.question.answers.all())
        right = [a for a in answers if a.fraction > 0]
        wrong = [a for a in answers if a.fraction <= 0]
        pick = wrong[0] if slot.number <= wrong_slots and wrong else right[0]
        services.attempt_save(
            attempt=attempt, slot_number=slot.number, seq=1, response={"choice": pick.pk}
        )
    services.attempt_submit(attempt=attempt)


@transaction.atomic
def load() -> None:
    categories = _bank()
    index = CourseIndexPage.objects.first()
    if index is None:
        return
    rng = random.Random(2025)  # noqa: S311 - demo data, not security
    for slug, (topic, count) in QUIZZES.items():
        course = CoursePage.objects.child_of(index).filter(slug=slug).first()
        if course is None:
            continue
        quiz = _quiz(course, categories[topic], count)
        tried = set(Attempt.objects.filter(quiz=quiz).values_list("cadre_id", flat=True))
        passers = set(
            Attempt.objects.filter(quiz=quiz, passed=True).values_list("cadre_id", flat=True)
        )
        # Sample attempts are made once; later runs only back new completions.
        first_run = not tried
        enrolments = list(
            Enrolment.objects.filter(course=course).select_related("cadre").order_by("pk")
        )
        completed = set(
            Completion.objects.filter(
                enrolment__in=enrolments, revoked_at__isnull=True
            ).values_list("enrolment_id", flat=True)
        )
        failed = passed = 0
        for enrolment in enrolments:
            if enrolment.pk in completed:
                if enrolment.cadre_id not in passers:
                    _attempt(quiz, enrolment, passing=True, rng=rng)
            elif not first_run or _is_demo_login(enrolment):
                continue
            elif failed < FAILED_PER_QUIZ:
                _attempt(quiz, enrolment, passing=False, rng=rng)
                failed += 1
            elif passed < PASSED_PER_QUIZ:
                # A failed try first, then a pass: what trainers see most often.
                _attempt(quiz, enrolment, passing=False, rng=rng)
                _attempt(quiz, enrolment, passing=True, rng=rng)
                passed += 1


def _is_demo_login(enrolment: Enrolment) -> bool:
    # The newcomer's own account keeps its quizzes untouched, ready to try.
    user = enrolment.cadre.user
    return user is not None and user.username == "hocvien"
