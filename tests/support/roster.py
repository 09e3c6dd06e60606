"""A small, hand-counted roster shared by the ring-fence tests (unit, importer and CLI end to end).

Week of Monday 2026-09-07, plus Monday 2026-09-14. Hand count:

- PC101 (Northgate): rostered 8+8+8+8 = 32 (the 10th is annual leave, not rostered ward time);
  abstracted 2 response_cover + 8 aid_central = 10; ring-fence 22/32 = 0.6875, below the 0.8 target.
- PC102 (Northgate): rostered 10+10 = 20 (the 9th is sickness); the 8th is abstracted for two reasons
  on two rows, 1 court + 3 response_cover = 4; ring-fence 16/20 = 0.8, exactly on target (not below).
- PCSO201 (Southmead): rostered 8+8+8 = 24; 4 training on the 14th; ring-fence 20/24 = 0.833333.
- Northgate 52 rostered, 14 abstracted: 38/52 = 0.730769 (below); Southmead 24, 4: 0.833333.
- Everyone 76 rostered, 18 abstracted: 58/76 = 0.763158.
- Weeks: 2026-09-07 rostered 68, abstracted 14, 54/68 = 0.794118; 2026-09-14 rostered 8, abstracted 4, 0.5.
- By reason: aid_central 8, response_cover 5, training 4, court 1.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from rpdesk.services import officers, wards

NORTHGATE = "E05000001"
SOUTHMEAD = "E05000002"
START = dt.date(2026, 9, 7)
END = dt.date(2026, 9, 14)

ROSTER_CSV = """date,officer,ward,rostered_hours,abstracted_hours,reason,authorised_by,note
2026-09-07,PC101,E05000001,8,0,,,
2026-09-08,PC101,E05000001,8,2,response_cover,PS Grey,"=HYPERLINK(""http://x"",""click"")"
2026-09-09,PC101,E05000001,8,8,Aid (central),PS Grey,football
2026-09-10,PC101,E05000001,8,0,annual_leave,,
11/09/2026,PC101,E05000001,8,,,,
2026-09-07,pc102,E05000001,10,0,,,
2026-09-08,PC102,E05000001,10,1,court,PS Grey,
2026-09-08,PC102,E05000001,10,3,response cover,PS Grey,
2026-09-09,PC102,E05000001,0,0,sickness,,
2026-09-07,PCSO201,E05000002,8,0,,,
2026-09-08,PCSO201,E05000002,8,0,,,
2026-09-14,PCSO201,e05000002,8,4,training,PS Khan,
"""

EXPECTED = {
    ("PC101", NORTHGATE): (32.0, 10.0, 0.6875, True),
    ("PC102", NORTHGATE): (20.0, 4.0, 0.8, False),
    ("PCSO201", SOUTHMEAD): (24.0, 4.0, 0.833333, False),
}


def seed_people(session: Session) -> None:
    """The two wards and three officers the roster names."""
    wards.add_ward(session, NORTHGATE, "Northgate", neighbourhood="North Team")
    wards.add_ward(session, SOUTHMEAD, "Southmead", neighbourhood="South Team")
    posted = dt.date(2026, 1, 1)
    officers.add_officer(session, "PC101", "Alex Reed", "PC", ward=NORTHGATE, start=posted)
    officers.add_officer(session, "PC102", "Sam Patel", "PC", ward=NORTHGATE, team="North Team B", start=posted)
    officers.add_officer(session, "PCSO201", "Jo Evans", "PCSO", ward=SOUTHMEAD, start=posted)
