"""The word lists of in-text citation finding: words that look like names but are not.

Sentence openers, months and document parts that stand capitalised before a year;
given names that open a full name; words that make a phrase a corporate author;
the titles and phrases after which a name is a source's. All generic: nothing
names a field, a scholar or a work.
"""

from __future__ import annotations

#: phrases after which a name is a source's ("according to Surname")
SIGNAL_PHRASES = (
    "according to", "defined by", "proposed by", "developed by", "described by", "introduced by",
    "coined by", "conceptualised by", "conceptualized by", "formulated by", "articulated by",
    "suggested by", "argued by", "advanced by", "pioneered by", "put forward by", "outlined by",
    "identified by", "work of", "writings of", "theory of", "model of", "ideas of", "view of",
    "followers of", "tradition of", "influenced by", "inspired by", "building on", "drawing on",
    "following",
)
#: titles after which a name is a scholar's ("psychologist Surname")
TITLE_WORDS = (
    "psychoanalyst", "psychoanalysts", "psychologist", "psychologists", "psychiatrist", "psychiatrists",
    "researcher", "researchers", "theorist", "theorists", "professor", "Professor", "Prof.", "scholar",
    "scholars", "sociologist", "sociologists", "philosopher", "philosophers", "analyst", "analysts",
    "neurologist", "neurologists", "scientist", "scientists", "physician", "physicians", "founder",
    "pioneer", "educator", "author", "authors", "writer", "clinician",
)
#: words that make a capitalised phrase a corporate author
ORG_WORDS = frozenset(
    "association society organization organisation institute council department foundation office agency "
    "centre center commission committee board service services ministry group collaboration network "
    "university college alliance consortium trust".split()
)
#: dotted abbreviations that look like initials but never start a name
FOREIGN_INITIALS = frozenset({"U.S.", "U.K.", "E.U.", "U.N.", "N.Y.", "D.C."})

#: capitalised words that are never surnames in a citation
STOPWORDS = frozenset(
    """a an the this that these those it its their his her our my we they he she i you your some many most
several other others both each such one two three four five six seven eight nine ten first second third
however thus therefore moreover furthermore additionally similarly indeed importantly recently notably
conversely likewise finally later earlier also still yet hence consequently nevertheless nonetheless
interestingly specifically originally subsequently historically traditionally overall together here
there then now today clearly again accordingly alternatively meanwhile instead rather above below in on
at by for from with without as since following according after before during among between unlike like
within through although though while when where if but and or so because until till unless whereas
whether what which who whom whose why how all any no not yes table tables figure figures fig part parts
chapter chapters section sections appendix study studies experiment step phase item question volume vol
issue number no page pages edition version wave session stage level grade model type class sample
january february march april may june july august september october november december jan feb mar apr
jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday spring summer
autumn fall winter copyright posted updated published revised accessed retrieved edited reviewed
modified created last next previous new old early late mid circa around about approximately nearly over
under up down out off see cf eg ie et al dr mr mrs ms prof professor doctor saint st mount lake river
university college school institute department centre center society association press journal
review reviews editor editors eds ed trans translated reprinted originally year years decade century
age ages covid dsm icd who apa nice nhs nih cdc usa uk us eu un north south east west northern southern
eastern western american british european english french german canadian australian international
national federal state county city town street road avenue hospital clinic program programme project
team group company inc ltd llc corp co unit total mean median average note notes source sources
reference references bibliography abstract introduction method methods results discussion conclusion
conclusions summary background objective objectives aim aims purpose design setting participants
measures intervention interventions outcome outcomes keywords key word words figure box panel
therapy therapist therapists client clients patient patients counselor counsellor psychotherapy
counseling counselling treatment health mental medical clinical research science theory data""".split()
)

#: common given names (used only to recognise "Firstname Surname" without a year)
GIVEN_NAMES = frozenset(
    """aaron abigail adam adrian agnes alan albert alex alexander alexandra alfred alice alison allan allen
alvin amanda amelia amy andrea andreas andrew angela ann anna anne annie anthony antonio arnold arthur
audrey barbara barry beatrice ben benjamin bernard beth betty bill bob bonnie brad bradley brenda brian
bruce bryan carl carla carlos carol caroline carolyn catherine cecilia charles charlotte cheryl chris
christian christina christine christopher claire clara claude colin craig cynthia daniel david dean
deborah debra denise dennis derek diana diane dick dominic donald donna doris dorothy douglas duncan
edgar edith edmund edna edward edwin eileen elaine eleanor elena elizabeth ellen elliot emily emma eric
erik erich ernest ethel eugene eva evelyn frances francis frank franz fred frederick gail gary george
georg gerald gerard gilbert gina gordon grace graham gregory hannah hans harold harriet harry heinz
helen helena henry herbert howard hugh ian irene irving isaac jack jacob jacques james jan jane janet
janice jason jean jeffrey jennifer jeremy jerome jessica jill joan joanne joe johann john jonathan joseph
josephine joyce judith judy julia julian julie june karen karl kate katherine kathleen kathryn keith
kenneth kevin kurt larry laura lauren lawrence leonard leslie lewis linda lisa lois louis louise lucy
lynn margaret maria marie marion mark martha martin mary matthew maurice melanie melissa michael
michelle mildred milton monica nancy naomi natalie neil nicholas nicole norman oliver olivia oscar otto
owen pamela patricia patrick paul paula pauline peter philip phyllis pierre rachel ralph raymond rebecca
regina richard rita robert roberta robin roger ronald rose ruth ryan sally samuel sandra sara sarah scott
sean sharon shirley simon sophie stanley stephen steven stuart susan suzanne sylvia teresa theodore
thomas timothy tina todd tom tony valerie vera victor victoria vincent virginia walter wayne wendy
wilhelm william wilma yvonne zachary leo leon lorna marsha irvin irvine aaron abraham albrecht aldo
alfonso ana anders andrei angelo annette antonia barbara bernhard bertrand bruno camilla carmen cesare
christoph claudia daniela dieter dmitri elias elisabeth emil enrico ernst fabio federico felix fernando
francesca francesco frieda friedrich gabriel gabriele giovanni giulia giuseppe gustav hanna heinrich
helmut hermann hilde igor ingrid isabel ivan jakob jens joachim jorge jose juan jurgen klaus lars laszlo
lena lorenzo luca lucia luigi lukas magda manuel marco marcus mario marta massimo matthias max melanie
miguel nils olga saul solomon seymour hyman jerome abram morris sidney murray harvey irwin lester milton nathan pablo paolo pedro pietro rafael ralf reinhard roberto rolf rudolf salvador sergio
silvia sofia stefan stefano sven thorsten ulrich ursula werner wolfgang""".split()
)
