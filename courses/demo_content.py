# ruff: noqa: E501 - Vietnamese prose; wrapping it mid-phrase would not read better
"""The eight demo courses of DEMO.md section B, in Vietnamese.

Lesson text is demo content written from public facts (decrees, official
platforms, police and bank warnings); a trainer would review it.
Each lesson: (title, paragraphs, key points, inline check or None), where a
check is (question, options, correct option counting from 1, explanation).
"""

COURSES = [
    {
        "slug": "ky-nang-so-co-ban",
        "title": "Kỹ năng số cơ bản trên điện thoại thông minh",
        "summary": (
            "Làm quen với điện thoại thông minh, kết nối Internet, tìm kiếm và đánh giá "
            "thông tin, lưu trữ tệp và ảnh. Nội dung bám theo Khung kiến thức, kỹ năng số "
            "cơ bản ban hành kèm theo Quyết định 757/QĐ-BKHCN."
        ),
        "topics": "QĐ 757: thiết bị số, QĐ 3139: nhóm 0–1",
        "level": "basic",
        "minutes": 60,
        "lessons": [
            (
                "Làm quen thiết bị, cài đặt và cập nhật ứng dụng",
                [
                    "Điện thoại thông minh là một máy tính nhỏ: có màn hình cảm ứng, bộ nhớ, "
                    "pin và hệ điều hành (thường là Android hoặc iOS). Các thao tác cơ bản gồm "
                    "chạm để mở, chạm giữ để chọn, vuốt để cuộn trang và dùng hai ngón tay để "
                    "phóng to, thu nhỏ.",
                    "Ứng dụng chỉ nên cài từ kho chính thức: CH Play (Google Play) trên Android "
                    "hoặc App Store trên iPhone. Trước khi cài, hãy xem tên nhà phát triển, số "
                    "lượt tải và đánh giá; ứng dụng của cơ quan nhà nước như VNeID do Bộ Công an "
                    "phát hành.",
                    "Cập nhật hệ điều hành và ứng dụng thường xuyên giúp vá các lỗ hổng bảo mật. "
                    "Nên bật tự động cập nhật khi có Wi-Fi để không tốn dữ liệu di động.",
                ],
                [
                    "Chỉ cài ứng dụng từ CH Play hoặc App Store.",
                    "Không cài tệp .apk do người lạ gửi qua Zalo, Facebook.",
                    "Bật cập nhật tự động và khóa màn hình bằng mật khẩu hoặc vân tay.",
                ],
                (
                    "Người lạ gửi qua Zalo một tệp “.apk” và nói đó là ứng dụng dịch vụ công. "
                    "Anh/chị nên làm gì?",
                    [
                        "Cài ngay để dùng thử",
                        "Không cài; chỉ tải ứng dụng từ kho chính thức",
                        "Gửi tiếp cho đồng nghiệp cài trước",
                    ],
                    2,
                    "Tệp .apk ngoài kho chính thức có thể là phần mềm độc hại chiếm quyền "
                    "điều khiển điện thoại.",
                ),
            ),
            (
                "Kết nối Internet: Wi-Fi, dữ liệu di động",
                [
                    "Điện thoại có hai cách kết nối Internet: Wi-Fi (mạng không dây của gia đình, "
                    "cơ quan) và dữ liệu di động 4G/5G do nhà mạng cung cấp. Biểu tượng trên thanh "
                    "trạng thái cho biết đang dùng cách nào và sóng mạnh hay yếu.",
                    "Để kết nối Wi-Fi: mở Cài đặt, chọn Wi-Fi, chọn tên mạng và nhập mật khẩu. "
                    "Wi-Fi công cộng ở quán cà phê, bến xe thường không được bảo vệ: không nên "
                    "đăng nhập ngân hàng hoặc nhập mật khẩu quan trọng khi dùng các mạng này.",
                    "Khi sóng yếu ở thôn, bản vùng cao, hãy tắt bớt ứng dụng chạy nền, tải trước "
                    "tài liệu khi có Wi-Fi và dùng chế độ tiết kiệm dữ liệu của trình duyệt.",
                ],
                [
                    "Wi-Fi gia đình, cơ quan cần đặt mật khẩu mạnh.",
                    "Không giao dịch ngân hàng qua Wi-Fi công cộng.",
                    "Theo dõi dung lượng dữ liệu di động trong phần Cài đặt.",
                ],
                None,
            ),
            (
                "Tìm kiếm, đánh giá độ tin cậy của thông tin",
                [
                    "Công cụ tìm kiếm giúp tra cứu nhanh văn bản, tin tức, hướng dẫn. Nên dùng từ "
                    "khóa ngắn, cụ thể, có thể thêm số hiệu văn bản, ví dụ “Nghị định 69/2024/NĐ-CP "
                    "định danh điện tử”.",
                    "Không phải thông tin nào trên mạng cũng đúng. Hãy kiểm tra nguồn: trang của cơ "
                    "quan nhà nước có tên miền .gov.vn, báo chí chính thống có tên cơ quan chủ quản "
                    "rõ ràng. Đối chiếu ít nhất hai nguồn độc lập và xem ngày đăng.",
                    "Tin giật gân, kêu gọi chia sẻ gấp hoặc đòi chuyển tiền thường là dấu hiệu của "
                    "tin giả hoặc lừa đảo. Cán bộ Mặt trận cần kiểm chứng trước khi chia sẻ trong "
                    "nhóm khu dân cư.",
                ],
                [
                    "Xem ai đăng, đăng khi nào, dựa vào nguồn nào.",
                    "Văn bản pháp luật tra cứu trên trang chính thức của cơ quan ban hành.",
                    "Chưa kiểm chứng thì chưa chia sẻ.",
                ],
                (
                    "Dấu hiệu nào cho thấy một trang là của cơ quan nhà nước Việt Nam?",
                    ["Có nhiều quảng cáo", "Tên miền kết thúc bằng .gov.vn", "Có ảnh lá cờ"],
                    2,
                    "Trang của cơ quan nhà nước dùng tên miền .gov.vn.",
                ),
            ),
            (
                "Lưu trữ, sắp xếp tệp và ảnh; lưu trữ đám mây",
                [
                    "Ảnh, tài liệu trên điện thoại được lưu trong bộ nhớ máy. Ứng dụng Tệp (Files) "
                    "cho phép tạo thư mục, đổi tên, di chuyển và xóa tệp. Đặt tên tệp có ngày và "
                    "nội dung, ví dụ “2025-09-15 Bien ban hop KDC”, giúp tìm lại dễ dàng.",
                    "Lưu trữ đám mây (Google Drive, iCloud, OneDrive…) giữ một bản sao trên máy chủ, "
                    "nên không mất dữ liệu khi hỏng hoặc mất điện thoại. Khi chia sẻ đường liên kết, "
                    "hãy chỉ cấp quyền cho đúng người cần xem.",
                    "Tài liệu có thông tin cá nhân của người dân không được để ở chế độ “bất kỳ ai có "
                    "đường liên kết”. Định kỳ dọn tệp trùng, ảnh mờ để giải phóng bộ nhớ.",
                ],
                [
                    "Đặt tên tệp theo ngày và nội dung.",
                    "Sao lưu lên đám mây, bật xác thực hai lớp cho tài khoản.",
                    "Chia sẻ đúng người, đúng quyền (xem hoặc sửa).",
                ],
                None,
            ),
        ],
    },
    {
        "slug": "dinh-danh-dien-tu-vneid",
        "title": "Định danh điện tử VNeID và dịch vụ công trực tuyến",
        "summary": (
            "Tài khoản định danh điện tử mức 1, mức 2 theo Nghị định 69/2024/NĐ-CP; nộp hồ sơ "
            "dịch vụ công trực tuyến; ứng dụng C-Thái Nguyên; thanh toán không dùng tiền mặt an toàn."
        ),
        "topics": "NĐ 69/2024/NĐ-CP, dịch vụ công, QĐ 757",
        "level": "basic",
        "minutes": 60,
        "lessons": [
            (
                "Tài khoản định danh điện tử mức 1, mức 2 (NĐ 69/2024/NĐ-CP)",
                [
                    "Nghị định 69/2024/NĐ-CP quy định về định danh và xác thực điện tử. Tài khoản "
                    "định danh điện tử của công dân Việt Nam có hai mức độ và được dùng qua ứng dụng "
                    "VNeID do Bộ Công an quản lý.",
                    "Tài khoản mức 1 có thể tự đăng ký trên ứng dụng VNeID, dùng được một số tính "
                    "năng cơ bản. Tài khoản mức 2 được đăng ký trực tiếp tại cơ quan công an, có "
                    "thu nhận ảnh chân dung và vân tay, sử dụng được toàn bộ tính năng.",
                    "Tài khoản định danh điện tử mức 2 có giá trị tương đương thẻ căn cước khi thực "
                    "hiện giao dịch, thủ tục hành chính. Mật khẩu và mã kích hoạt VNeID tuyệt đối "
                    "không cung cấp cho người khác.",
                ],
                [
                    "Mức 1: tự đăng ký; mức 2: đăng ký tại công an, có sinh trắc học.",
                    "Mức 2 tương đương thẻ căn cước trong giao dịch.",
                    "Công an không gọi điện yêu cầu cài VNeID qua đường link lạ.",
                ],
                (
                    "Tài khoản định danh điện tử mức 2 có giá trị tương đương giấy tờ nào?",
                    ["Thẻ bảo hiểm y tế", "Thẻ căn cước", "Giấy phép lái xe"],
                    2,
                    "Theo Nghị định 69/2024/NĐ-CP, tài khoản mức 2 có giá trị tương đương thẻ căn cước.",
                ),
            ),
            (
                "Nộp hồ sơ dịch vụ công trực tuyến",
                [
                    "Cổng Dịch vụ công quốc gia (dichvucong.gov.vn) cho phép người dân nộp hồ sơ, "
                    "theo dõi tiến độ và nhận kết quả trực tuyến. Có thể đăng nhập bằng tài khoản "
                    "định danh điện tử VNeID.",
                    "Các bước thường gồm: chọn thủ tục, điền tờ khai điện tử, đính kèm ảnh hoặc bản "
                    "chụp giấy tờ, kiểm tra lại, nộp và lưu mã hồ sơ. Nhiều thủ tục được điền sẵn "
                    "thông tin từ Cơ sở dữ liệu quốc gia về dân cư.",
                    "Cán bộ Mặt trận ở khu dân cư có thể hướng dẫn bà con thao tác, nhưng không nhận "
                    "giữ hộ mật khẩu hay tự đăng nhập tài khoản của người dân.",
                ],
                [
                    "Nộp trên trang chính thức dichvucong.gov.vn hoặc cổng của tỉnh.",
                    "Lưu mã hồ sơ để tra cứu tiến độ.",
                    "Hướng dẫn người dân, không giữ hộ mật khẩu.",
                ],
                None,
            ),
            (
                "Ứng dụng C-Thái Nguyên: phản ánh hiện trường",
                [
                    "C-Thái Nguyên là ứng dụng công dân số của tỉnh Thái Nguyên, tải miễn phí trên "
                    "CH Play và App Store. Ứng dụng tập hợp thông tin, dịch vụ của tỉnh trên điện thoại.",
                    "Tính năng phản ánh hiện trường cho phép người dân chụp ảnh, mô tả và gửi phản "
                    "ánh về các vấn đề như đường hỏng, rác thải, mất an ninh trật tự; cơ quan có "
                    "thẩm quyền tiếp nhận, xử lý và trả lời trên ứng dụng.",
                    "Khi hướng dẫn người dân, cán bộ nên nhắc phản ánh đúng sự việc, có ảnh rõ ràng, "
                    "ghi địa điểm cụ thể và theo dõi kết quả trả lời.",
                ],
                [
                    "C-Thái Nguyên: ứng dụng công dân số của tỉnh.",
                    "Phản ánh hiện trường: ảnh, mô tả, địa điểm.",
                    "Theo dõi phản hồi ngay trên ứng dụng.",
                ],
                (
                    "Ứng dụng công dân số của tỉnh Thái Nguyên là:",
                    ["Hanoi SmartCity", "C-Thái Nguyên", "Mặt trận số"],
                    2,
                    "",
                ),
            ),
            (
                "Thanh toán không dùng tiền mặt an toàn",
                [
                    "Thanh toán bằng mã QR, ví điện tử hoặc ứng dụng ngân hàng giúp nộp phí, lệ phí, "
                    "tiền điện, nước nhanh chóng. Trước khi xác nhận, luôn kiểm tra tên người nhận "
                    "và số tiền hiển thị.",
                    "Mã OTP và mật khẩu ngân hàng chỉ để chính chủ sử dụng; ngân hàng không bao giờ "
                    "gọi điện hay nhắn tin đề nghị cung cấp. Không nên để số dư quá lớn trong tài "
                    "khoản dùng giao dịch trực tuyến hằng ngày.",
                    "Khi nghi ngờ giao dịch lạ, gọi ngay tổng đài chính thức của ngân hàng (in ở mặt "
                    "sau thẻ) để khóa tài khoản.",
                ],
                [
                    "Kiểm tra tên người nhận trước khi chuyển.",
                    "Không cung cấp OTP cho bất kỳ ai.",
                    "Đặt hạn mức giao dịch phù hợp.",
                ],
                None,
            ),
        ],
    },
    {
        "slug": "an-toan-thong-tin",
        "title": "An toàn thông tin và phòng chống lừa đảo trực tuyến",
        "summary": (
            "Nhận diện các thủ đoạn lừa đảo phổ biến, bảo vệ tài khoản và mã OTP, bảo vệ dữ liệu "
            "cá nhân trên mạng xã hội và cách xử lý khi bị lừa đảo."
        ),
        "topics": "TT 02/2025: an toàn số, an toàn thông tin",
        "level": "basic",
        "minutes": 60,
        "lessons": [
            (
                "Nhận diện các thủ đoạn lừa đảo phổ biến",
                [
                    "Kẻ gian thường giả danh công an, viện kiểm sát, tòa án gọi điện báo người nghe "
                    "liên quan đến vụ án và yêu cầu chuyển tiền vào “tài khoản tạm giữ”. Cơ quan "
                    "tiến hành tố tụng không làm việc qua điện thoại và không yêu cầu chuyển tiền.",
                    "Các thủ đoạn khác: nhắn tin báo trúng thưởng, tuyển cộng tác viên “việc nhẹ "
                    "lương cao”, giả mạo tài khoản Zalo, Facebook của người thân để vay tiền, gửi "
                    "đường link giả mạo ngân hàng hoặc dịch vụ công.",
                    "Điểm chung là tạo sự sợ hãi hoặc hám lợi, thúc giục làm ngay. Khi gặp tình huống "
                    "đó, hãy dừng lại, không làm theo và xác minh qua kênh chính thức.",
                ],
                [
                    "Công an không yêu cầu chuyển tiền qua điện thoại.",
                    "Người thân nhắn vay tiền: gọi lại hoặc gặp trực tiếp để xác nhận.",
                    "Không bấm link lạ, không mở tệp đính kèm từ người không quen.",
                ],
                (
                    "Có người gọi tự xưng công an, yêu cầu chuyển tiền “phục vụ điều tra”. "
                    "Anh/chị nên làm gì?",
                    [
                        "Chuyển tiền ngay",
                        "Đọc số căn cước và mã OTP để họ kiểm tra",
                        "Không làm theo; liên hệ trực tiếp cơ quan công an gần nhất để xác minh",
                    ],
                    3,
                    "Cơ quan công an không làm việc và không yêu cầu chuyển tiền qua điện thoại.",
                ),
            ),
            (
                "Bảo vệ tài khoản, mật khẩu, mã OTP",
                [
                    "Mật khẩu mạnh có ít nhất 10 ký tự, gồm chữ hoa, chữ thường, chữ số và ký hiệu, "
                    "không dùng ngày sinh hay số điện thoại. Mỗi tài khoản quan trọng dùng một mật "
                    "khẩu riêng.",
                    "Xác thực hai lớp (mã OTP gửi qua tin nhắn hoặc ứng dụng xác thực) bảo vệ tài "
                    "khoản ngay cả khi lộ mật khẩu. Mã OTP không được cung cấp cho bất kỳ ai, kể cả "
                    "người tự xưng là nhân viên ngân hàng.",
                    "Thường xuyên kiểm tra cài đặt bảo mật, danh sách thiết bị đang đăng nhập và "
                    "đăng xuất khỏi máy lạ.",
                ],
                [
                    "Mật khẩu dài, riêng cho từng tài khoản.",
                    "Bật xác thực hai lớp.",
                    "OTP chỉ để chính mình dùng.",
                ],
                None,
            ),
            (
                "Bảo vệ dữ liệu cá nhân trên mạng xã hội",
                [
                    "Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân xác định ngày sinh, số định "
                    "danh, số điện thoại, số tài khoản ngân hàng… là dữ liệu cá nhân cần được bảo vệ.",
                    "Trên mạng xã hội, hạn chế công khai ngày sinh, số căn cước, số điện thoại, ảnh "
                    "giấy tờ tùy thân và vị trí nhà ở. Chỉnh quyền riêng tư để chỉ bạn bè xem bài viết.",
                    "Cán bộ Mặt trận nắm nhiều thông tin của người dân: không đăng danh sách, ảnh giấy "
                    "tờ của người dân lên nhóm mạng xã hội.",
                ],
                [
                    "Không đăng ảnh căn cước, thẻ ngân hàng.",
                    "Xem lại quyền riêng tư của từng bài đăng.",
                    "Không cho mượn, cho thuê căn cước hay tài khoản ngân hàng.",
                ],
                (
                    "Thông tin nào nên hạn chế công khai trên mạng xã hội?",
                    [
                        "Sở thích nấu ăn",
                        "Ngày sinh, số căn cước, số điện thoại, số tài khoản",
                        "Ảnh phong cảnh",
                    ],
                    2,
                    "",
                ),
            ),
            (
                "Xử lý khi bị lừa đảo",
                [
                    "Khi phát hiện đã chuyển tiền cho kẻ lừa đảo, gọi ngay tổng đài ngân hàng để "
                    "yêu cầu phong tỏa giao dịch, đồng thời báo cơ quan công an gần nhất hoặc tố giác "
                    "qua Cổng thông tin điện tử Bộ Công an.",
                    "Giữ lại bằng chứng: tin nhắn, số điện thoại, số tài khoản nhận tiền, ảnh chụp "
                    "màn hình. Không xóa tin nhắn, không chuyển thêm tiền để “lấy lại” số đã mất.",
                    "Cảnh báo người thân và bà con trong khu dân cư về thủ đoạn vừa gặp để tránh "
                    "người khác bị lừa.",
                ],
                [
                    "Báo ngân hàng và công an ngay.",
                    "Giữ bằng chứng, không xóa tin nhắn.",
                    "Không chuyển thêm tiền để “lấy lại”.",
                ],
                None,
            ),
        ],
    },
    {
        "slug": "mat-tran-so",
        "title": "Nền tảng “Mặt trận số” trong công tác Mặt trận",
        "summary": (
            "Tổng quan 5 phần mềm cốt lõi của nền tảng Mặt trận số, đăng nhập một lần, cập nhật cơ "
            "sở dữ liệu tổ chức và cán bộ, tiếp nhận phản ánh, kiến nghị và thư viện số."
        ),
        "topics": "Mặt trận số, chuyển đổi số",
        "level": "intermediate",
        "minutes": 50,
        "lessons": [
            (
                "Tổng quan 5 phần mềm cốt lõi và đăng nhập một lần",
                [
                    "Nền tảng “Mặt trận số” của Ủy ban Trung ương MTTQ Việt Nam được truy cập tại "
                    "app.mattranso.vn, gồm 5 phần mềm cốt lõi phục vụ công tác Mặt trận các cấp.",
                    "Các phần mềm kết nối với nhau bằng cơ chế đăng nhập một lần (OpenID): một tài "
                    "khoản dùng cho tất cả, không phải nhớ nhiều mật khẩu.",
                    "Mỗi cán bộ dùng tài khoản được cấp của chính mình; khi chuyển công tác, cần báo "
                    "để cập nhật hoặc khóa tài khoản.",
                ],
                [
                    "Địa chỉ: app.mattranso.vn.",
                    "5 phần mềm cốt lõi, một tài khoản đăng nhập một lần.",
                    "Không dùng chung tài khoản.",
                ],
                (
                    "Nền tảng “Mặt trận số” gồm bao nhiêu phần mềm cốt lõi?",
                    ["3", "5", "8"],
                    2,
                    "",
                ),
            ),
            (
                "Cập nhật cơ sở dữ liệu tổ chức, cán bộ",
                [
                    "Cơ sở dữ liệu tổ chức, cán bộ giúp Mặt trận các cấp nắm số lượng, cơ cấu cán bộ "
                    "và các Ban Công tác Mặt trận ở khu dân cư.",
                    "Từ ngày 01/7/2025, Ủy ban MTTQ Việt Nam được tổ chức ở cấp Trung ương, tỉnh và "
                    "xã; Ban Công tác Mặt trận ở thôn, xóm, tổ dân phố không phải là một cấp hành chính.",
                    "Khi có thay đổi nhân sự, cập nhật kịp thời, chính xác để số liệu báo cáo phản ánh "
                    "đúng thực tế.",
                ],
                [
                    "Cập nhật ngay khi có thay đổi nhân sự.",
                    "Ghi đúng đơn vị sau sắp xếp ngày 01/7/2025.",
                    "Số liệu đúng là cơ sở cho báo cáo đúng.",
                ],
                None,
            ),
            (
                "Tiếp nhận, xử lý phản ánh, kiến nghị của Nhân dân",
                [
                    "Người dân có thể gửi phản ánh, kiến nghị trực tiếp đến MTTQ qua địa chỉ "
                    "pakn.mattranso.vn.",
                    "Kiến nghị thuộc cấp nào thì MTTQ cấp đó tiếp nhận, phản hồi; phản hồi được công "
                    "khai trên trang chủ để người dân theo dõi.",
                    "Cán bộ cần phân loại, chuyển đúng cơ quan có thẩm quyền, theo dõi đến khi có kết "
                    "quả và thông tin lại cho người dân.",
                ],
                [
                    "Địa chỉ: pakn.mattranso.vn.",
                    "Cấp nào tiếp nhận, cấp đó phản hồi.",
                    "Theo dõi đến khi có kết quả.",
                ],
                None,
            ),
            (
                "Thư viện số cộng đồng và trợ lý ảo",
                [
                    "Thư viện số cộng đồng tập hợp văn bản, tài liệu tuyên truyền, hướng dẫn nghiệp "
                    "vụ để cán bộ tra cứu mọi lúc trên điện thoại.",
                    "Trợ lý ảo giúp hỏi đáp nhanh về nghiệp vụ; câu trả lời cần được đối chiếu với "
                    "văn bản gốc trước khi sử dụng.",
                    "Cán bộ nên chia sẻ tài liệu hay của địa phương lên thư viện để các nơi cùng dùng.",
                ],
                [
                    "Tra cứu tài liệu nghiệp vụ trên thư viện số.",
                    "Đối chiếu câu trả lời của trợ lý ảo với văn bản gốc.",
                ],
                None,
            ),
        ],
    },
    {
        "slug": "van-ban-dien-tu-chu-ky-so",
        "title": "Văn bản điện tử, chữ ký số và xử lý hồ sơ công việc trên môi trường mạng",
        "summary": (
            "Thể thức văn bản theo Nghị định 30/2020/NĐ-CP, chữ ký số, hồ sơ công việc điện tử và "
            "họp trực tuyến — nền tảng để đạt chỉ tiêu xử lý hồ sơ công việc trên môi trường mạng."
        ),
        "topics": "NĐ 30/2020/NĐ-CP, chữ ký số, hồ sơ điện tử",
        "level": "intermediate",
        "minutes": 60,
        "lessons": [
            (
                "Thể thức văn bản theo Nghị định 30/2020/NĐ-CP",
                [
                    "Nghị định 30/2020/NĐ-CP về công tác văn thư quy định thể thức và kỹ thuật trình "
                    "bày văn bản hành chính, áp dụng cả cho văn bản điện tử.",
                    "Văn bản dùng phông chữ Times New Roman, bộ mã Unicode (TCVN 6909:2001), khổ giấy "
                    "A4. Lề trên và lề dưới 20–25 mm, lề trái 30–35 mm, lề phải 15–20 mm.",
                    "Các thành phần chính gồm quốc hiệu và tiêu ngữ, tên cơ quan ban hành, số và ký "
                    "hiệu, địa danh và thời gian, tên loại và trích yếu, nội dung, chức vụ và chữ ký "
                    "của người có thẩm quyền, nơi nhận.",
                ],
                [
                    "Phông Times New Roman, Unicode, khổ A4.",
                    "Lề trái 30–35 mm, lề phải 15–20 mm.",
                    "Đủ các thành phần thể thức trước khi ký.",
                ],
                (
                    "Văn bản hành chính theo Nghị định 30/2020/NĐ-CP dùng phông chữ nào?",
                    ["Arial", "Times New Roman", "Tahoma"],
                    2,
                    "",
                ),
            ),
            (
                "Chữ ký số và ký văn bản điện tử",
                [
                    "Chữ ký số là chữ ký điện tử dùng hệ thống mật mã để xác nhận người ký và bảo đảm "
                    "văn bản không bị sửa sau khi ký. Luật Giao dịch điện tử năm 2023 công nhận giá "
                    "trị pháp lý của chữ ký số.",
                    "Cơ quan nhà nước dùng chứng thư số chuyên dùng; cá nhân có thể dùng chữ ký số "
                    "trên điện thoại (ký số từ xa). Khi ký, phần mềm hiển thị thông tin người ký và "
                    "thời điểm ký.",
                    "Bảo quản thiết bị ký số và mã PIN như con dấu: không giao cho người khác ký thay.",
                ],
                [
                    "Chữ ký số xác nhận người ký và tính toàn vẹn của văn bản.",
                    "Không giao mã PIN, thiết bị ký cho người khác.",
                ],
                None,
            ),
            (
                "Lập và quản lý hồ sơ công việc điện tử",
                [
                    "Hồ sơ công việc điện tử tập hợp các văn bản, tài liệu của một việc từ khi mở đến "
                    "khi kết thúc, lưu trên hệ thống quản lý văn bản và điều hành.",
                    "Mỗi hồ sơ có tiêu đề, thời hạn bảo quản và người chịu trách nhiệm. Văn bản đến, "
                    "đi được gắn vào hồ sơ ngay khi xử lý.",
                    "Hồ sơ điện tử giúp tra cứu nhanh, chia sẻ đúng người và là căn cứ tính tỷ lệ hồ "
                    "sơ công việc được xử lý trên môi trường mạng.",
                ],
                [
                    "Mở hồ sơ ngay khi bắt đầu công việc.",
                    "Gắn văn bản vào đúng hồ sơ.",
                    "Đóng hồ sơ khi kết thúc.",
                ],
                None,
            ),
            (
                "Họp và làm việc trực tuyến",
                [
                    "Họp trực tuyến giúp Mặt trận tỉnh và các xã trao đổi nhanh, tiết kiệm thời gian "
                    "đi lại. Trước cuộc họp, gửi giấy mời có đường link, tài liệu và kiểm tra âm "
                    "thanh, hình ảnh.",
                    "Trong cuộc họp, tắt micro khi không phát biểu, dùng chức năng giơ tay để xin phát "
                    "biểu, ghi biên bản và lưu vào hồ sơ công việc.",
                    "Không chia sẻ đường link họp nội bộ lên mạng xã hội.",
                ],
                [
                    "Kiểm tra thiết bị trước giờ họp.",
                    "Tắt micro khi không phát biểu.",
                    "Lưu biên bản vào hồ sơ điện tử.",
                ],
                None,
            ),
        ],
    },
    {
        "slug": "giam-sat-phan-bien-so",
        "title": "Giám sát và phản biện xã hội trên môi trường số",
        "summary": (
            "Khảo sát, lấy ý kiến Nhân dân trực tuyến, tổng hợp ý kiến bằng bảng tính, theo dõi "
            "kiến nghị sau giám sát và bảo mật dữ liệu người dân."
        ),
        "topics": "giám sát, phản biện xã hội, bảng tính",
        "level": "intermediate",
        "minutes": 50,
        "lessons": [
            (
                "Khảo sát, lấy ý kiến Nhân dân trực tuyến",
                [
                    "Phiếu khảo sát trực tuyến giúp lấy ý kiến nhiều người trong thời gian ngắn. Câu "
                    "hỏi cần ngắn gọn, dễ hiểu, mỗi câu hỏi một vấn đề.",
                    "Gửi đường link qua nhóm khu dân cư và hỗ trợ người cao tuổi điền phiếu trực tiếp; "
                    "kết hợp với lấy ý kiến trực tiếp để không bỏ sót người không dùng điện thoại.",
                    "Chỉ thu những thông tin thực sự cần; nói rõ mục đích sử dụng ý kiến.",
                ],
                [
                    "Câu hỏi ngắn, một vấn đề mỗi câu.",
                    "Kết hợp trực tuyến và trực tiếp.",
                    "Chỉ thu thông tin cần thiết.",
                ],
                None,
            ),
            (
                "Tổng hợp, phân tích ý kiến bằng bảng tính",
                [
                    "Kết quả khảo sát có thể xuất ra bảng tính. Mỗi dòng là một phiếu, mỗi cột là một "
                    "câu hỏi.",
                    "Dùng bộ lọc để xem theo thôn, xóm; dùng hàm đếm (COUNTIF) để đếm số ý kiến đồng ý, "
                    "không đồng ý; dùng biểu đồ cột để trình bày kết quả trong báo cáo.",
                    "Ghi rõ số phiếu phát ra, số phiếu thu về và tỷ lệ khi báo cáo kết quả.",
                ],
                [
                    "Mỗi dòng một phiếu, mỗi cột một câu hỏi.",
                    "COUNTIF để đếm, biểu đồ để trình bày.",
                ],
                (
                    "Hàm nào dùng để đếm số ô thỏa mãn một điều kiện?",
                    ["SUM", "COUNTIF", "AVERAGE"],
                    2,
                    "",
                ),
            ),
            (
                "Theo dõi kiến nghị sau giám sát",
                [
                    "Sau mỗi cuộc giám sát, các kiến nghị cần được lập danh sách: nội dung, cơ quan "
                    "tiếp nhận, thời hạn trả lời và tình trạng giải quyết.",
                    "Bảng theo dõi dùng chung trên đám mây giúp cán bộ cập nhật tiến độ và nhắc việc "
                    "khi đến hạn.",
                    "Kết quả giải quyết kiến nghị được thông tin lại cho Nhân dân.",
                ],
                [
                    "Mỗi kiến nghị có thời hạn và người theo dõi.",
                    "Cập nhật tình trạng thường xuyên.",
                ],
                None,
            ),
            (
                "Bảo mật dữ liệu người dân",
                [
                    "Dữ liệu khảo sát, phản ánh có thể chứa thông tin cá nhân. Theo Nghị định "
                    "13/2023/NĐ-CP, việc xử lý dữ liệu cá nhân phải đúng mục đích và được bảo vệ.",
                    "Chỉ chia sẻ bảng tính cho người có nhiệm vụ; xóa cột thông tin cá nhân khi gửi "
                    "báo cáo tổng hợp.",
                    "Khi nghi ngờ lộ dữ liệu, báo ngay người phụ trách để xử lý.",
                ],
                [
                    "Đúng mục đích, đúng người, đúng quyền.",
                    "Báo cáo tổng hợp không kèm thông tin cá nhân.",
                ],
                None,
            ),
        ],
    },
    {
        "slug": "truyen-thong-so",
        "title": "Truyền thông số và mạng xã hội cho cán bộ Mặt trận",
        "summary": (
            "Quản lý trang, nhóm mạng xã hội của Ban Công tác Mặt trận, chụp ảnh, dựng video ngắn, "
            "viết tin và ứng xử văn minh, chống thông tin sai lệch."
        ),
        "topics": "TT 02/2025: giao tiếp và hợp tác, sáng tạo nội dung",
        "level": "basic",
        "minutes": 40,
        "lessons": [
            (
                "Trang/nhóm mạng xã hội của Ban Công tác Mặt trận",
                [
                    "Nhóm Zalo, trang Facebook của khu dân cư là kênh thông tin nhanh tới bà con. "
                    "Nên có ít nhất hai quản trị viên và nội quy nhóm rõ ràng.",
                    "Thông tin đăng cần chính xác, ngắn gọn, có nguồn; tránh đăng nội dung quảng cáo, "
                    "mua bán làm loãng nhóm.",
                    "Ghim các thông báo quan trọng và trả lời câu hỏi của bà con kịp thời.",
                ],
                [
                    "Ít nhất hai quản trị viên.",
                    "Có nội quy nhóm.",
                    "Ghim thông báo quan trọng.",
                ],
                None,
            ),
            (
                "Chụp ảnh, dựng video ngắn, viết tin",
                [
                    "Ảnh tốt: đủ sáng, ngang máy khi chụp cảnh đông người, chủ thể rõ. Xin phép trước "
                    "khi chụp và đăng ảnh người dân.",
                    "Video ngắn 30–60 giây, quay ngang hoặc dọc thống nhất, có phụ đề vì nhiều người "
                    "xem không bật tiếng.",
                    "Bản tin trả lời đủ: việc gì, ở đâu, khi nào, ai tham gia, kết quả ra sao.",
                ],
                [
                    "Xin phép trước khi đăng ảnh người dân.",
                    "Video ngắn có phụ đề.",
                    "Tin đủ 5 yếu tố.",
                ],
                (
                    "Trước khi đăng ảnh người dân lên nhóm khu dân cư, cán bộ cần:",
                    ["Chỉnh ảnh cho đẹp", "Xin phép người trong ảnh", "Không cần làm gì"],
                    2,
                    "",
                ),
            ),
            (
                "Ứng xử văn minh, chống thông tin sai lệch",
                [
                    "Cán bộ Mặt trận là người nêu gương: dùng lời lẽ lịch sự, không tranh cãi gay gắt, "
                    "không chia sẻ tin chưa kiểm chứng.",
                    "Khi phát hiện thông tin sai lệch trong nhóm, cung cấp thông tin chính thức kèm "
                    "nguồn và báo cơ quan có thẩm quyền nếu có dấu hiệu vi phạm pháp luật.",
                    "Luật An ninh mạng năm 2018 nghiêm cấm đăng tải thông tin sai sự thật gây hoang "
                    "mang trong Nhân dân.",
                ],
                [
                    "Lịch sự, nêu gương.",
                    "Đính chính bằng thông tin chính thức.",
                ],
                None,
            ),
        ],
    },
    {
        "slug": "ung-dung-ai",
        "title": "Ứng dụng trí tuệ nhân tạo (AI) trong công tác Mặt trận",
        "summary": (
            "AI là gì và dùng khi nào; soạn thảo, tóm tắt văn bản có hỗ trợ AI; kiểm chứng kết "
            "quả, rủi ro và bảo mật."
        ),
        "topics": "TT 02/2025: ứng dụng AI",
        "level": "intermediate",
        "minutes": 40,
        "lessons": [
            (
                "AI là gì, dùng khi nào",
                [
                    "Trí tuệ nhân tạo tạo sinh (như các trợ lý trò chuyện) học từ lượng lớn văn bản để "
                    "trả lời câu hỏi, gợi ý nội dung, dịch và tóm tắt.",
                    "AI hữu ích cho việc lặp lại: lập dàn ý, viết nháp thông báo, tóm tắt tài liệu dài. "
                    "AI không thay thế được trách nhiệm và hiểu biết thực tế của cán bộ.",
                    "AI có thể trả lời sai nhưng rất tự tin, nên luôn kiểm tra lại.",
                ],
                [
                    "AI hỗ trợ, người cán bộ quyết định.",
                    "Dùng cho dàn ý, bản nháp, tóm tắt.",
                ],
                None,
            ),
            (
                "Soạn thảo, tóm tắt văn bản có hỗ trợ AI",
                [
                    "Câu lệnh tốt nêu rõ vai trò, nhiệm vụ, đối tượng và độ dài, ví dụ: “Viết thông báo "
                    "200 chữ mời bà con dự Ngày hội Đại đoàn kết toàn dân tộc ngày 18/11”.",
                    "Khi tóm tắt, yêu cầu AI liệt kê ý chính kèm vị trí trong văn bản để dễ đối chiếu.",
                    "Bản nháp của AI phải được sửa cho đúng thể thức, đúng số liệu địa phương.",
                ],
                [
                    "Câu lệnh rõ: vai trò, nhiệm vụ, độ dài.",
                    "Luôn sửa bản nháp trước khi dùng.",
                ],
                (
                    "Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư được tổ chức vào dịp nào?",
                    ["03/02", "18/11", "22/12"],
                    2,
                    "18/11 là ngày truyền thống MTTQ Việt Nam.",
                ),
            ),
            (
                "Kiểm chứng kết quả AI, rủi ro và bảo mật",
                [
                    "Đối chiếu số liệu, tên văn bản, ngày tháng do AI đưa ra với nguồn chính thức.",
                    "Không đưa tài liệu mật, danh sách người dân, số định danh vào công cụ AI công cộng: "
                    "dữ liệu có thể được lưu và dùng lại.",
                    "Ghi rõ khi nội dung có sự hỗ trợ của AI nếu quy định của cơ quan yêu cầu.",
                ],
                [
                    "Kiểm chứng mọi số liệu.",
                    "Không nhập dữ liệu cá nhân, tài liệu mật vào AI công cộng.",
                ],
                None,
            ),
        ],
    },
]

PROGRAMMES = [
    {
        "name": "Kỹ năng số cơ bản 2025",
        "description": (
            "Chương trình bắt buộc cho cán bộ chuyên trách MTTQ các cấp, thực hiện chỉ tiêu 100% "
            "cán bộ chuyên trách được bồi dưỡng kỹ năng số năm 2025."
        ),
        "full_time_only": True,
        "deadline": (2025, 12, 31),
        "is_optional": False,
        "courses": ["ky-nang-so-co-ban", "dinh-danh-dien-tu-vneid", "an-toan-thong-tin"],
    },
    {
        "name": "Chuyển đổi số trong công tác Mặt trận",
        "description": "Chương trình tự chọn nâng cao cho cán bộ Mặt trận các cấp.",
        "full_time_only": False,
        "deadline": None,
        "is_optional": True,
        "courses": [
            "van-ban-dien-tu-chu-ky-so",
            "giam-sat-phan-bien-so",
            "truyen-thong-so",
            "ung-dung-ai",
        ],
    },
]
