"""Word lists: the sentiment lexicon with customer-care adjustments, and the cue phrases triage looks for.

The base lexicon is VADER's (`_vader_lexicon.py`, MIT). General-purpose lexicons misread customer care:
"customer *care*", "*help*", "*please*", "*support*", "*like*" are not praise, while "delay", "refund",
"still", "waiting" and "on hold" carry no valence in VADER but almost always mean an unhappy customer.
The adjustments below fix that; the cue patterns feed the complaint, question, feedback, spam and
misinformation decisions in `engine.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


def _words(text: str) -> list[str]:
    return text.split()


# Valence overrides on VADER's -4..+4 scale. 0 removes a word.
CARE_ADJUSTMENTS: dict[str, float] = {
    # polite or service words that are not praise in a customer-care message
    "help": 0.0,
    "helps": 0.0,
    "helping": 0.0,
    "please": 0.0,
    "pls": 0.0,
    "plz": 0.0,
    "care": 0.0,
    "support": 0.0,
    "like": 0.0,
    "want": 0.0,
    "sure": 0.0,
    "hope": 0.4,
    "hoping": 0.2,
    "yes": 0.3,
    "ok": 0.3,
    "okay": 0.2,
    "well": 0.0,
    "pretty": 0.0,
    "kind": 0.6,
    "kindly": 0.0,
    "free": 0.0,
    "ready": 0.0,
    "share": 0.0,
    "credit": 0.0,
    "save": 0.0,
    "interest": 0.0,
    "chance": 0.0,
    "matter": 0.0,
    "joke": -1.5,
    "lol": 0.8,
    "haha": 0.8,
    "sorry": -0.6,
    "fix": -0.6,
    "fixed": 0.8,
    "resolved": 1.0,
    "sorted": 0.8,
    "solved": 1.0,
    # the vocabulary of things going wrong
    "delay": -1.6,
    "delays": -1.6,
    "delayed": -1.6,
    "late": -1.3,
    "later": 0.0,
    "waiting": -1.0,
    "waited": -1.2,
    "wait": -0.6,
    "still": -0.6,
    "again": -0.4,
    "refund": -1.0,
    "refunded": 0.2,
    "cancel": -1.0,
    "cancelled": -1.2,
    "canceled": -1.2,
    "missing": -1.6,
    "lost": -1.6,
    "damaged": -2.0,
    "faulty": -2.0,
    "defective": -2.0,
    "broken": -2.0,
    "overcharged": -2.2,
    "charged": -0.8,
    "unacceptable": -2.6,
    "ridiculous": -2.2,
    "useless": -2.5,
    "pathetic": -2.6,
    "rubbish": -2.2,
    "shambles": -2.5,
    "appalling": -2.8,
    "shocking": -2.0,
    "atrocious": -2.9,
    "incompetent": -2.6,
    "ignored": -2.0,
    "ignoring": -2.0,
    "unanswered": -1.8,
    "outage": -2.0,
    "error": -1.2,
    "errors": -1.2,
    "crash": -1.8,
    "crashes": -1.8,
    "crashing": -1.8,
    "glitch": -1.4,
    "bug": -1.0,
    "buggy": -1.8,
    "wrong": -1.6,
    "nobody": -1.0,
    "hours": -0.2,
    "days": -0.2,
    "weeks": -0.4,
    "months": -0.4,
    "yet": -0.3,
    "unhelpful": -2.0,
    "unreliable": -2.0,
    "overpriced": -1.8,
    "rip": -0.6,
    "ripoff": -2.5,
    "scam": -2.6,
    "scammed": -2.8,
    "disconnected": -1.4,
    "cut": -0.4,
    "slow": -1.3,
    "terrible": -3.0,
    "horrible": -3.0,
    "worst": -3.2,
    "fuming": -2.8,
    "furious": -3.0,
    "livid": -3.0,
    "gutted": -2.4,
    "disappointing": -2.2,
    "disappointed": -2.2,
    "wtf": -2.0,
    "smh": -1.8,
    "ugh": -1.8,
    "ffs": -2.4,
    "meh": -1.0,
    "awaiting": -0.3,
    "issue": -0.8,
    "issues": -0.8,
    "problem": -1.2,
    "problems": -1.2,
    "complaint": -1.6,
    "complain": -1.6,
    "never": -0.6,
    "nothing": -0.4,
    "hold": -0.4,
    "queue": -0.4,
    "stuck": -1.6,
    "declined": -1.2,
    "rejected": -1.6,
    "unable": -1.0,
    "cannot": -0.6,
    "can't": -0.6,
    # praise in care language
    "thx": 1.6,
    "ty": 1.4,
    "cheers": 1.6,
    "brilliant": 3.0,
    "superb": 3.0,
    "legend": 2.4,
    "legends": 2.4,
    "helpful": 2.2,
    "prompt": 1.6,
    "quick": 1.0,
    "quickly": 0.8,
    "fast": 1.0,
    "smooth": 1.6,
    "seamless": 2.0,
    "recommend": 1.8,
    "impressed": 2.4,
    "spot": 0.0,
    "top": 0.8,
    "polite": 1.8,
    "courteous": 2.0,
    "tidy": 1.0,
    "star": 1.6,
    "lifesaver": 2.6,
    "painless": 1.6,
    "hassle": -1.2,
    "10/10": 2.6,
    # what a care question asks about, not an opinion ("open on bank holiday Monday?")
    "holiday": 0.0,
}

# Core sentiment words of the other supported languages (same scale), so a Spanish or German complaint
# is not read as neutral.
FOREIGN_LEXICON: dict[str, float] = {
    # es
    "gracias": 1.8,
    "excelente": 3.0,
    "genial": 2.8,
    "bueno": 1.9,
    "buena": 1.9,
    "encanta": 3.0,
    "perfecto": 2.8,
    "rápido": 1.2,
    "amable": 2.2,
    "malo": -2.2,
    "mala": -2.2,
    "pésimo": -3.2,
    "pésima": -3.2,
    "horrible": -3.0,
    "terrible": -3.0,
    "vergüenza": -2.6,
    "retraso": -1.6,
    "tarde": -1.0,
    "todavía": -0.6,
    "aún": -0.4,
    "nunca": -0.8,
    "roto": -2.0,
    "rota": -2.0,
    "reembolso": -1.0,
    "queja": -1.8,
    "problema": -1.2,
    "estafa": -2.8,
    "esperando": -1.0,
    "cobrado": -0.8,
    "perdido": -1.6,
    "decepcionado": -2.2,
    "fatal": -2.8,
    "nadie": -1.0,
    # fr
    "merci": 1.8,
    "génial": 2.8,
    "parfait": 2.8,
    "super": 2.4,
    "bravo": 2.6,
    "bon": 1.6,
    "mauvais": -2.2,
    "nul": -2.6,
    "nulle": -2.6,
    "honteux": -2.8,
    "retard": -1.6,
    "toujours": -0.4,
    "jamais": -0.8,
    "cassé": -2.0,
    "remboursement": -1.0,
    "plainte": -1.8,
    "problème": -1.2,
    "arnaque": -2.8,
    "attends": -1.0,
    "attente": -1.0,
    "perdu": -1.6,
    "déçu": -2.2,
    "abîmé": -2.0,
    "abîmés": -2.0,
    "supprimé": -1.2,
    "annulé": -1.2,
    "déçue": -2.2,
    "inadmissible": -2.8,
    "inacceptable": -2.6,
    "personne": -0.4,
    # de
    "danke": 1.8,
    "toll": 2.6,
    "prima": 2.4,
    "gut": 1.8,
    "schnell": 1.2,
    "schlecht": -2.2,
    "schlechter": -2.4,
    "schrecklich": -3.0,
    "katastrophe": -3.0,
    "verspätung": -1.6,
    "immer": 0.0,
    "noch": -0.2,
    "nie": -0.8,
    "kaputt": -2.2,
    "defekt": -2.0,
    "erstattung": -1.0,
    "beschwerde": -1.8,
    "problem": -1.2,
    "betrug": -2.8,
    "warte": -1.0,
    "verloren": -1.6,
    "enttäuscht": -2.2,
    "unverschämt": -2.8,
    "niemand": -1.0,
    "frechheit": -2.8,
    "gewartet": -1.2,
    "abgebucht": -0.6,
    # it
    "grazie": 1.8,
    "ottimo": 3.0,
    "perfetto": 2.8,
    "bravi": 2.4,
    "buono": 1.8,
    "pessimo": -3.2,
    "pessima": -3.2,
    "vergogna": -2.6,
    "ritardo": -1.6,
    "ancora": -0.4,
    "mai": -0.8,
    "rotto": -2.0,
    "rimborso": -1.0,
    "reclamo": -1.8,
    "truffa": -2.8,
    "aspetto": -0.8,
    "perso": -1.6,
    "deluso": -2.2,
    "delusa": -2.2,
    "nessuno": -1.0,
    "schifo": -3.0,
    # pt
    "obrigado": 1.8,
    "obrigada": 1.8,
    "ótimo": 3.0,
    "óptimo": 3.0,
    "péssimo": -3.2,
    "péssima": -3.2,
    "ruim": -2.2,
    "vergonha": -2.6,
    "atraso": -1.6,
    "ainda": -0.4,
    "quebrado": -2.0,
    "reclamação": -1.8,
    "golpe": -2.0,
    "ninguém": -1.0,
    # nl
    "bedankt": 1.8,
    "dank": 1.4,
    "geweldig": 3.0,
    "top": 1.6,
    "goed": 1.8,
    "slecht": -2.2,
    "vreselijk": -3.0,
    "schandalig": -2.8,
    "vertraging": -1.6,
    "nog": -0.2,
    "steeds": -0.4,
    "nooit": -0.8,
    "kapot": -2.2,
    "terugbetaling": -1.0,
    "klacht": -1.8,
    "oplichting": -2.8,
    "wachten": -1.0,
    "kwijt": -1.6,
    "teleurgesteld": -2.2,
}

NEGATORS = frozenset(
    _words(
        "not no never none nobody nothing neither nor cannot can't cant don't dont doesn't doesnt didn't "
        "didnt isn't isnt wasn't wasnt aren't arent weren't werent won't wont wouldn't wouldnt shouldn't "
        "couldn't couldnt haven't havent hasn't hasnt hadn't without ain't "
        "ne pas nie nicht kein keine non nunca jamás jamais niet geen não"
    )
)

# Intensifiers and dampeners (added to the magnitude of the next sentiment word, as in VADER).
BOOSTERS: dict[str, float] = {
    **dict.fromkeys(
        _words(
            "absolutely amazingly awfully completely considerably decidedly deeply effing enormously entirely "
            "especially exceptionally extremely fabulously flipping flippin fricking frickin frigging "
            "friggin fully fucking greatly hella highly hugely incredibly intensely majorly more most "
            "particularly purely quite really remarkably so substantially thoroughly totally tremendously "
            "uber unbelievably unusually utterly very seriously super literally truly bloody damn "
            "muy très sehr molto muito heel echt"
        ),
        0.293,
    ),
    **dict.fromkeys(
        _words(
            "almost barely hardly kind kinda kindof less little marginally occasionally partly scarcely "
            "slightly somewhat sort sorta sortof a bit"
        ),
        -0.293,
    ),
}

POSITIVE_SARCASM_HEADS = frozenset(
    _words(
        "thanks thank thx cheers great brilliant wonderful lovely nice awesome fantastic amazing perfect "
        "love loving good congrats congratulations wow excellent superb genius fab fabulous "
        "gracias merci danke grazie obrigado obrigada bedankt genial génial super bravo toll"
    )
)


# Complaint cues: (regex on the lower-cased text, weight). Strong cues (>= 2) decide on their own.
COMPLAINT_CUES: dict[str, float] = {
    r"\bnever (?:arrived|received|came|got|showed|turned up|delivered)": 3.0,
    r"\b(?:has|have|had)n'?t (?:arrived|received|come|been (?:delivered|refunded|sorted|fixed|resolved))": 3.0,
    r"\b(?:did|does|do)n'?t (?:arrive|receive|come|work|get|turn up|show|happen|make it|exist|go through)": 2.5,
    r"\bnot (?:arrived|received|delivered|working|happy|impressed|good enough|acceptable|fixed|resolved|been)": 2.5,
    r"\bstill (?:no|not|nothing|waiting|hasn'?t|haven'?t|isn'?t|doesn'?t|can'?t|no sign|broken|down|charging|getting)": 3.0,
    r"\b(?:charged|billed|debited) (?:twice|double|two times|again|me twice|for something)": 3.0,
    r"\bdouble[- ]charged|\bovercharg": 3.0,
    r"\bno (?:response|reply|answer|one (?:has )?(?:replied|responded|got back|answered|called))": 2.5,
    r"\b(?:nobody|no one|noone) (?:has )?(?:replied|responded|got back|gets back|answers|cares|helps|called)": 2.5,
    r"\b(?:worst|terrible|awful|horrible|appalling|shocking|dreadful|pathetic|useless|disgraceful|disgusting|atrocious|abysmal|rubbish|crap|crappy|shoddy|poor) (?:service|customer|experience|company|support|airline|delivery|app|website|product|quality|communication)": 3.0,
    r"\b(?:worst|unacceptable|ridiculous|disgraceful|shambles|joke of a|fed up|sick (?:and tired )?of|tired of|had enough|fuming|furious|livid|gutted|disgusted)\b": 2.5,
    # "how long do I have to wait", not the plain question "how long does a refund take?"
    r"\bhow (?:many times|much longer|long (?:do|will|must|should|have|am|are|is) (?:i|we|you|they|this|it)\b)": 2.5,
    r"\b(?:yet again|once again|again and again|every (?:single )?time|keeps? (?:happening|crashing|failing|freezing|dropping|cancell?ing|charging|saying|telling))": 2.0,
    r"\b(?:waiting|waited|been waiting|wait) (?:for |over |more than |almost |nearly |about )?(?:\d+|an?|two|three|four|five|six|several|many|ages|forever|hours|days|weeks|months)\b": 2.5,
    r"\b\d{1,4}\s*(?:\+\s*)?(?:hours?|hrs?|days?|weeks?|wks?|months?|mins?|minutes?) (?:delay|late|wait|on hold|waiting|now|later|and still|ago and)": 2.5,
    r"\bon hold (?:for )?": 2.0,
    r"\b(?:refund|money back|compensation|chargeback|reimburse)": 1.5,
    r"\b(?:cancel|cancell?ed|cancell?ing) (?:my|the|our|your|this)": 1.5,
    r"\b(?:broken|faulty|defective|damaged|cracked|smashed|leaking|stopped working|not working|doesn'?t work|does not work|won'?t (?:work|load|open|start|turn on|let me|connect)|can'?t (?:log ?in|sign in|access|connect|get through|use|login|find my|track)|cannot (?:log ?in|access|connect|get through)|keeps crashing|crashed)": 2.0,
    r"\b(?:lost|missing|wrong|incorrect|late|delayed|cancell?ed|stolen|stuck|expired|declined|rejected|blocked|locked out|cut off|disconnected|overdue)\b": 1.0,
    r"\b(?:rude|lied|lying|misled|misleading|incompetent|unprofessional|unhelpful|ignored|ignoring|ignore me|hung up)\b": 2.0,
    r"\b(?:rip[- ]?off|scam|scammed|con artists|daylight robbery|false advertising)": 2.0,
    r"\b(?:disappointed|disappointing|let down|frustrat|annoy|irritat|angry|upset|unhappy|not happy|not impressed)": 2.0,
    r"\b(?:complain|complaint|escalate|ombudsman|trading standards|small claims|lawyer|solicitor|sue you)": 2.0,
    r"\b(?:what'?s (?:going on|the point|happening)|sort (?:it|this) out|get (?:it|this) sorted|fix (?:it|this|your)|do something|any update|any news|where is my|where'?s my|wheres my)": 1.5,
    r"\bwhy (?:is|are|was|were|do|does|did|has|have|can'?t|won'?t|isn'?t|aren'?t|hasn'?t|haven'?t|didn'?t|doesn'?t|would|am i|the hell|on earth|is it so)": 1.2,
    r"\b(?:no (?:signal|service|internet|wifi|power|water|connection|update|updates|help|way|refund|email|confirmation|tracking))": 1.5,
    r"\b(?:outage|is down|went down|are down|not loading|won'?t load|offline|no connection|error message|error code)": 1.5,
    r"\b(?:shame on|thanks for nothing|thx for nothing|thanks a lot for|never again|never (?:using|buying|flying|ordering|shopping) )": 2.5,
    # "so much for the express delivery", but not "thank you so much for your help"
    r"\b(?<!thank you )(?<!thanks )(?<!thank u )so much for (?:the|your|that|my|a)\b": 2.0,
    r"\b(?:(?:nice|great|good|lovely|thanks|thank you) (?:of you )?(?:for|to) (?:lose|losing|lost|cancel|cancell?ing|delay|delaying|charg|overcharg|ignor|leav(?:e|ing) (?:me|us)|strand)|is a joke|what a joke|joke of a|you(?:'re| are) a joke)": 2.5,
    r"\bstill (?:don'?t|do not|didn'?t|did not|have no|got no|haven'?t got|can'?t|cannot|no sign)|\b(?:don'?t|do not) have my|\b(?:lose|lost|losing) (?:my|our) (?:bag|bags|luggage|suitcase|order|package|parcel)": 2.5,
    r"\bsince (?:yesterday|last|this morning|monday|tuesday|wednesday|thursday|friday|saturday|sunday|\d)": 1.5,
    r"\b(?:received|got|sent) (?:a|the|me a|me the) wrong|\binstead of (?:the|a|my) ": 2.0,
    r"\b(?:lost|lose) (?:a|my|our) (?:customer|business)|\b(?:switching|moving|going) to (?:another|a different|your competitor)": 2.5,
    r"\b(?:hours?|days?|weeks?|months?) (?:later|now|and still|on|without)\b": 1.0,
    r"\b(?:seriously|really)\s*\?": 0.8,
    r"\?\s*\?|!!": 0.8,
    r"\b(?:can'?t|cannot|unable to) (?:believe|get|reach|contact|speak|talk)": 1.5,
    r"\b(?<!no )(?<!not a )(?<!any )(?:problem|issue|trouble|fault|glitch|bug|error)s?\b": 1.0,
    r"\b(?:again|still)\b": 0.5,
    r"\b(?:has|have|had|is|was)n'?t (?:shipped|been (?:shipped|sent|dispatched|processed|credited)|turned up|showed up|got back|responded|replied|answered|called)": 2.5,
    r"\b(?:supposed to|meant to|promised|guaranteed)\b": 1.2,
    r"\b(?:not (?:helpful|useful|good|ok|okay|right|fair|cool|ideal|great)|no help|no excuse|waste of (?:time|money|space)|wasted (?:my|hours|time))": 2.0,
    r"\b(?:nothing (?:works|worked|happens|happened|has (?:happened|been done|changed))|still nothing)": 2.0,
    r"\b(?:(?:does|do|did|is|was|wo|ca)n'?t|not|never|wont|cant|wouldn'?t|couldn'?t|can not|could not) (?:load|work|respond|open|connect|sync|update|charge|turn on|start|play|stream|print|send|let me|accept|recogni[sz]e)": 2.0,
    r"\b(?:stop(?:ped|s)?|keeps?) (?:working|responding|loading|buffering|freezing|dropping|disconnecting)": 2.0,
    r"\b(?:unable to|couldn'?t|could not|can'?t|cannot|can not|won'?t|wont)\b": 0.8,
    r"\b(?:invalid|denied|refused|stole|stolen|overdue|expired|faulty|unusable|unreachable|nowhere|pitiful|futility|dirty|filthy|cold food|inedible|mouldy|moldy|stale|rotten)\b": 1.2,
    r"#(?:nothappy|notimpressed|fail|epicfail|customerservicefail|badservice|poorservice|disappointed|unhappy|annoyed|frustrated|angry|shame|neveragain|boycott|ripoff|scam|joke)": 2.5,
    r"\b(?:charging me|charged me|charge me|took my money|taken my money|billing me)\b": 1.5,
    r"\b(?:any (?:answer|response|reply|help|news|update)|answer (?:my|me)|respond to (?:my|me)|reply to (?:my|me)|get back to me)\b": 1.5,
    r"\b(?:boo|shame|sad|poor|bad|worse|sucks|suck|sucked)\b": 1.0,
    # a verdict on the service: "your coverage in my town is awful"
    r"\b(?:is|are|was|were|so|too|just|really) (?:awful|terrible|horrible|appalling|dreadful|atrocious|abysmal|shocking|pathetic|useless|rubbish|crap|patchy|unreliable|non-existent)\b": 1.5,
    r"\b(?:caught fire|on fire|exploded|explode|burst into flames|burned|burnt|smoke|smoking|electric shock|shocked me|injured|injury|hospital|choking|allergic reaction|food poisoning)\b": 2.0,
    r"\b(?:broke|broken off|fell apart|falling apart|came apart|fell off|broke off|came off|peeling|ripped|torn|scratched|dented|shattered)\b": 2.0,
    r"\b(?:power|internet|wifi|wi-fi|service|signal|site|app|website|network|server|servers|system|broadband|tv|cable|phone line|line) (?:is |are |has been |went |keeps going )?(?:out|down|dead|offline)\b": 2.0,
    r"\bno longer (?:works?|working|remembers|lets|loads|shows|accepts|available|supported)": 2.0,
    r"\bkeeps? (?:logging|kicking|signing|throwing|booting) (?:me|us) (?:out|off)": 2.5,
    r"\bnot (?:updating|loading|letting|showing|responding|accepting|able|allowing|syncing|connecting|charging|working properly)\b": 2.0,
    r"\b(?:wasn'?t|wasnt|isn'?t|isnt|aren'?t|arent) (?:helpful|fair|good|right|ok|okay|acceptable|working|ideal|great)\b": 2.0,
    # a broken promise, a count of days, a repeated request: the customer has been let down before
    r"\b(?:i was|we were|i've been|we've been|i have been|i got) (?:told|promised|assured)\b": 1.5,
    r"\b(?:it'?s|now|today is) day \d+|\bday \d+ (?:of|and|without|now)\b": 2.0,
    r"\b(?:two|three|four|five|\d+) times (?:now|already|today|this (?:week|month))|\b(?:second|third|fourth|fifth) time (?:asking|i've|i have|this|in a|that)": 2.5,
    r"\b(?:was|were|been|got|get|getting|keep getting) (?:charged|billed)\b": 1.5,
    r"\bhow (?:does|did|can|could|do) (?:this|that|it|these things) (?:even )?happen|\bhow is (?:this|that|it) (?:even )?(?:possible|allowed|legal)": 2.0,
    r"\b(?:can'?t|cannot) be serious|\bare you (?:serious|kidding|joking)|\byou(?:'re| are|'ve got to be|have to be) (?:kidding|joking)": 2.0,
    r"\b(?:does|do|is) (?:anyone|anybody) (?:actually|even|still) (?:work|read|care|answer|reply|check)": 2.0,
    r"\b(?:unfortunately|sadly|regrettably)\b": 1.0,
    r"\b(?:is|are|it'?s|they'?re) back (?:again|already)|\bback again\b|\b(?:broken|down|gone) again\b": 1.5,
    r"\b(?:wiped|erased|deleted|lost) (?:all|every|half)\b": 2.0,
    r"\bkeeps? (?!getting better|improving)[a-z]+ing\b": 1.5,
    r"\bnothing says .{1,40} like\b": 2.5,
    # the customer's own mishap, not the company's failure: "I've lost my phone, how do I block the SIM?"
    r"\b(?:by mistake|my (?:mistake|fault|bad)|i (?:accidentally|mistakenly)|i (?:ordered|booked|bought|entered|put|typed|chose|selected|gave) (?:the|a) wrong|i(?:'ve| have)? (?:lost|forgot(?:ten)?|dropped|broke|smashed|misplaced) my|(?:my|our) (?:phone|wallet|purse|card|cards|laptop|keys) (?:got|was|were|has been) (?:stolen|smashed|dropped))": -3.0,
    r"\bhow(?:'s| is) (?:that|this) (?:fair|ok|okay|acceptable|right|good|possible)": 2.5,
    r"\b(?:uncooperative|unresponsive|clueless|creepy|disturbing|stressing|stressed|stressful|nightmare|hassle(?![- ]free)|headache|inconvenien|incomplete|interrupt|dead|died)": 1.5,
    r"\b(?:tried|called|emailed|asked|contacted|rang) (?:\d+|two|three|four|five|several|multiple|many|numerous) times|\b(?:multiple|several|numerous|countless) (?:emails|calls|times|attempts|messages)": 2.0,
    r"\b(?:what the (?:fuck|hell|heck|f)|wtf|get your act together|step up your game|do better|sort yourselves out|sort your(?:selves| service) out)\b": 2.0,
    r"\b(?:what'?s up with|what is up with|what happened to|what is going on with|what'?s wrong with)\b": 1.5,
    # a one-word verdict closing a post about a problem: "flight cancelled, rebooked for tomorrow. Great."
    r"(?:^|[.!?,]\s*)(?:just |oh )?(?:great|awesome|perfect|fantastic|brilliant|wonderful|lovely|nice|super|fabulous|excellent|thanks a lot|thanks a bunch|cheers|love it|nice one|well done|good job|way to go)\s*[.!]*\s*$": 1.0,
    r"\bfor (?:an|one|two|three|four|five|\d+|over an|over \d+|almost an|nearly an|more than an|more than \d+) (?:hour|hours|hrs|days|weeks|minutes|mins)\b": 1.5,
    r"\bbeen (?:\d+|an|a|two|three|four|five|six|several|many) (?:hours?|days?|weeks?|months?)\b": 2.5,
    r"\b(?:call (?:me|us) back|calls? back|anyone (?:going to|gonna) (?:call|reply|answer|help|respond)|is anyone (?:there|listening|reading))": 1.5,
    r"\b(?:overbooked|bumped|stranded|diverted|misconnected|rerouted|downgraded)\b": 1.5,
    r"\bno (?:information|info|communication|explanation|apology|compensation|food|water|staff|one around|announcement)": 1.5,
    # other languages: the commonest complaint phrases
    r"\b(?:todavía no|aún no|no ha llegado|no me ha llegado|no funciona|sin respuesta|nadie responde|quiero (?:mi dinero|un reembolso|cancelar)|es una vergüenza|pésimo servicio)": 3.0,
    r"\b(?:toujours pas|pas encore reçu|n'est pas arrivé|ne fonctionne pas|ne marche pas|aucune réponse|personne ne répond|c'est honteux|inadmissible|je veux être remboursé)": 3.0,
    r"\b(?:immer noch nicht|noch nicht angekommen|funktioniert nicht|keine antwort|niemand antwortet|unverschämt|frechheit|geld zurück)": 3.0,
    r"\b(?:ancora non|non è arrivato|non funziona|nessuna risposta|nessuno risponde|vergogna|rimborso)": 3.0,
    r"\b(?:ainda não|não chegou|não funciona|sem resposta|ninguém responde|vergonha|quero (?:meu dinheiro|reembolso))": 3.0,
    r"\b(?:gracias por nada|llevo (?:una|dos|tres|\d+) (?:hora|horas|días|semanas)|otra vez|de nuevo|se cierra|sin avisar|no me (?:responden|contestan))": 2.0,
    r"\b(?:merci pour rien|j'attends toujours|encore (?:un|une) (?:train|vol|colis|retard|panne)|sans prévenir|abîmé|déçue?\b)": 2.0,
    r"\b(?:danke für nichts|schon wieder|nicht gekommen|ganzen tag gewartet|warte seit|seit (?:zwei|drei|vier|\d+) (?:tagen|wochen|stunden)|zweimal abgebucht|keiner hilft|niemand hilft)": 2.0,
    r"\b(?:nog steeds niet|niet ontvangen|niet aangekomen|werkt niet|geen antwoord|niemand reageert|schandalig|geld terug)": 3.0,
}

# A problem that has been put right: thanks for it is genuine ("thanks for sorting my refund so fast").
RESOLUTION_CUES = (
    r"\b(?<!be )(?<!been )(?<!get )(?<!got )(?:sorted|resolved|fixed|solved|refunded|all good|all set|found (?:my|it|the|them)|finding (?:my|it|the)|"
    r"got (?:it|them|my \w+) back|arrived (?:today|this morning|safely|on time|early|yesterday)|turned up|"
    r"so quick(?:ly)?|so fast|quick(?:er)? (?:response|reply)|fast (?:response|reply)|prompt|swift|speedy|"
    r"(?:very|so|really|super) helpful|(?<!would )(?<!'d )appreciate|thank(?:s| you) (?:so much |a lot )?for (?:your|the|all) help|"
    r"(?:great|excellent|brilliant|amazing|fantastic|outstanding) (?:service|job|work|support|help)|above and beyond|"
    r"back (?:up and running|online)|working (?:again|now|fine|perfectly)|(?:that|it|this) (?:worked|did the trick)|done the trick|"
    r"(?<!should )(?<!would )(?<!must )(?:just|has|have) arrived|came through|(?:refund|money|parcel|package|order) received|"
    r"(?:are|is) back(?! again| already)\b|no problem at all|hassle[- ]free|all (?:fixed|sorted|working))\b"
)

# Problem nouns: a message naming one of these and addressed to the brand is probably about a problem.
PROBLEM_NOUNS = (
    r"\b(?:order|package|parcel|delivery|refund|bill|invoice|account|payment|flight|bag|luggage|booking|"
    r"reservation|train|bus|connection|internet|wifi|broadband|signal|phone|device|app|website|card|"
    r"subscription|contract|engineer|technician|driver|courier|claim|ticket|seat|room|item|product|"
    r"replacement|repair|warranty|credit|points|voucher|coupon|plan|line|service)s?\b"
)

QUESTION_START = (
    r"^(?:@\w+[\s,:]*)*(?:hi|hello|hey|hiya|dear [\w ]{1,20}|good (?:morning|afternoon|evening))?[\s,!.]*"
    r"(?:how|what|when|where|which|who|whom|whose|is|are|am|can|could|would|will|do|does|did|should|"
    r"shall|may|has|have|any|anyone|cómo|qué|cuándo|dónde|puedo|hay|comment|quand|où|est-ce|pourquoi|"
    r"wie|was|wann|wo|kann|gibt|come|quando|dove|posso|como|quando|onde|hoe|wat|wanneer|waar|kan)\b"
)
QUESTION_CUES = (
    r"\?|\b(?:i (?:was )?wonder(?:ing)?|can (?:you|i|we)|could (?:you|i|we)|do you (?:know|have|sell|ship|deliver|offer)|"
    r"is there|are there|any (?:idea|way|chance|update)|let me know|i(?:'d| would) like to know|"
    r"how (?:do|can|long|much)|please (?:advise|confirm|tell|let)|need (?:to know|info|information|help with))"
)

FEEDBACK_CUES = (
    r"\b(?:you should|you guys should|y'all should|please (?:add|bring back|make|consider|stock|introduce)|"
    r"would (?:be|love) (?:nice|great|good|helpful|cool) if|it would be (?:nice|great|good|helpful|cool)|"
    r"i(?:'d| would) (?:love|like) (?:to see|it if|if)|suggest|suggestion|feature request|feedback|"
    r"bring back|wish (?:you|there|it|i could)|why not|how about|consider adding|idea:|pro tip|"
    r"could you (?:add|make|bring|consider)|needs? (?:more|an option|a way)|should (?:have|add|offer))"
)

SPAM_CUES: dict[str, float] = {
    r"https?://\S+|www\.\S+|\bbit\.ly/|\bt\.co/": 1.0,
    r"\b(?:follow (?:me|back|us|for follow)|f4f|follow4follow|check (?:out )?my (?:page|profile|channel|bio|link)|link in (?:my )?bio)": 2.0,
    r"\b(?:click here|dm me for|dm for|earn \$?\d+|make (?:money|\$\d+)|work from home|free (?:followers|iphone|gift|money|bitcoin|crypto)|giveaway|promo code|discount code|use code|limited offer|buy now|cheap|crypto|bitcoin|forex|nft|airdrop|onlyfans|xxx|viagra|casino|betting|loan offer)": 2.0,
    r"\b(?:subscribe to my|sub to my|visit my|my new (?:video|song|mixtape|track|album))": 2.0,
    r"(?:\$\$+|!!!{3,})": 1.0,
}

# Abuse with no problem named: trolling, not a customer to fix.
TROLL_CUES = (
    r"\b(?:fuck (?:you|off|u)|f\*+k (?:you|off)|stfu|kys|kill yourself|die in a fire|you(?:'re| are) all (?:idiots|morons|retards)|"
    r"idiots|morons|retards|losers|clowns|go to hell|eat shit|suck my|shut up)\b"
)

# A request or an information question: "can you DM me the tracking number?", "I need to change my
# address", "my card was declined, can you check?". Without signs of unhappiness such a post is neutral.
HELP_REQUEST = (
    r"\b(?:how (?:do|can|should|would) (?:i|we)|how to|(?:can|could|would) (?:i|we|you|u|someone)|"
    r"is there (?:a|any) (?:way|setting|option|reason)|do (?:i|we) need|i(?:'d| would) like to|i need to|"
    r"i want to|i'?m (?:looking|trying) to|what (?:does|do) (?:it|this|that) mean|what should i do|"
    r"please (?:can|could|send|call|tell|leave|let|confirm|advise|add|change|update|cancel|remove|help))"
)
# Information questions, counted as requests only in a post with a question mark.
INFO_QUESTION = (
    r"(?:^|[.!?,]\s+|^(?:@\w+[\s,:]*)+(?:(?:hi|hello|hey|hiya|morning)[\s,!.]*)?)(?:is|are|does|do|will|which|"
    r"what(?:'s| is| are)|what time|when|where|how (?:much|long|many))\b"
)
# Questions that are complaints in question form: "why was I charged?", "where is my parcel?"
COMPLAINT_QUESTION = (
    r"\b(?:why|how come|where(?:'s| is) my|wheres my|what happened|any (?:update|news)|anyone|anybody|"
    r"what'?s (?:going on|the point|happening|up with))"
)

# Misguided customers: stating or asking about something that may be untrue ("correct the facts").
MISINFO_CUES = (
    r"\b(?:i heard (?:that|you)|heard you(?:'re| are| guys)|rumou?rs?|is it true|apparently you|"
    r"everyone (?:says|knows)|i read (?:that|somewhere)|fake news|hoax|conspiracy|you (?:secretly|are secretly)|"
    r"they say you|supposedly|you(?:'re| are) (?:going bankrupt|closing|shutting down|selling (?:our|my) data))"
)


@lru_cache(maxsize=1)
def sentiment_lexicon() -> dict[str, float]:
    """VADER's lexicon with Heard's customer-care adjustments and foreign core words. Built on first use."""
    from shared.triage._vader_lexicon import VADER_LEXICON

    lexicon: dict[str, float] = {}
    for line in VADER_LEXICON.splitlines():
        token, _, value = line.partition("\t")
        if value:
            lexicon[token] = float(value)
    lexicon.update(FOREIGN_LEXICON)
    lexicon.update(CARE_ADJUSTMENTS)
    return {token: score for token, score in lexicon.items() if score}


_OPTIONAL_CHAR = re.compile(r"(?<!\\).\?")
_OPTIONAL_SUFFIX = re.compile(r"([^\W\d_]{2,})[^\W\d_]\?[^\W\d_]*")
_LOOKAROUND = re.compile(r"\(\?<?[!=][^()]*\)")
_FRAGMENT = re.compile(r"[^\W\d_]{2,}")


def _split_top(pattern: str, separator: str) -> list[str]:
    """Split a regex at `separator` characters outside groups, classes and escapes."""
    parts: list[str] = []
    current: list[str] = []
    depth, in_class, escaped = 0, False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def _group_end(pattern: str) -> int:
    """Index of the parenthesis closing the group that opens `pattern` (-1 if unbalanced)."""
    depth, in_class, escaped = 0, False, False
    for index, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
    return -1


def _is_group(unit: str) -> bool:
    return unit.startswith("(?:") and _group_end(unit) == len(unit) - 1


def _unit_fragments(unit: str) -> set[str] | None:
    """Letters every match of one space-free unit contains (one of them), or None."""
    unit = _LOOKAROUND.sub(" ", unit)  # zero-width: its letters are not part of the match
    if _is_group(unit):
        gates = [_alternative_gate(inner) for inner in _split_top(unit[3:-1], "|")]
        if any(gate is None for gate in gates):
            return None
        return set().union(*gates)  # type: ignore[arg-type]
    source = re.sub(r"\\[a-zA-Z]", " ", unit)  # \b, \d, \s are not letters of the text
    source = _OPTIONAL_SUFFIX.sub(r"\1 ", source)  # "cancell?ed" -> "cancel", "hours?" -> "hour"
    source = _OPTIONAL_CHAR.sub(" ", source)  # "e?mail" -> "mail"
    fragments = set(_FRAGMENT.findall(source))
    return fragments or None


def _weak(fragments: set[str]) -> bool:
    # A fragment found in most posts ("no", "is", "the") lets nearly every post through: no use as a gate.
    return any(len(fragment) < 3 or fragment in _COMMON for fragment in fragments)


def _alternative_gate(alternative: str) -> set[str] | None:
    """Fragments one of which every match of this alternative contains; None when there are none.

    The alternative is cut at spaces outside groups into units that must all match; the first unit is
    always usable, later ones only when they are required (no trailing "?" or "*") and either one whole
    group or free of alternations, so their fragments surely cover every way of matching them. Of the
    usable units, the one with the most selective fragments wins.
    """
    alternative = alternative.removeprefix("\\b").removesuffix("\\b")
    units = [unit for unit in _split_top(alternative, " ") if unit]
    if not units:
        return None
    if len(units) == 1:
        return _unit_fragments(units[0])
    candidates = []
    first = _unit_fragments(units[0]) if not units[0].endswith(("?", "*")) else None
    if first:
        candidates.append(first)
    for unit in units[1:]:
        if unit.endswith(("?", "*")) or unit.endswith("}") or not (_is_group(unit) or "|" not in unit):
            continue
        fragments = _unit_fragments(unit)
        if fragments:
            candidates.append(fragments)
    if not candidates:
        return None
    strong = [c for c in candidates if not _weak(c)]
    return min(strong or candidates, key=len)


_COMMON = frozenset(
    ("the", "and", "you", "not", "for", "was", "are", "how", "why", "can", "get", "has", "have", "had")
)


def _gate(pattern: str) -> tuple[str, ...]:
    """Literal fragments of a cue pattern such that a text containing none of them cannot match it.

    Empty when no such fragments exist (punctuation cues): the pattern is then always tried. Checked
    against the ungated search in tests/unit/triage and on the benchmark data.
    """
    gates = [_alternative_gate(alternative) for alternative in _split_top(pattern, "|")]
    if any(gate is None for gate in gates):
        return ()
    fragments = set().union(*gates)  # type: ignore[arg-type]
    if _weak(fragments):
        return ()
    return tuple(sorted(fragments))


@dataclass(frozen=True, slots=True)
class Cue:
    pattern: re.Pattern[str]
    weight: float
    gate: tuple[str, ...]  # skip the pattern when the text contains none of these
    word_start: bool  # the match must start at a word boundary (checked in Python, see below)

    def found(self, lowered: str) -> bool:
        if self.gate and not any(map(lowered.__contains__, self.gate)):
            return False
        for match in self.pattern.finditer(lowered):
            start = match.start()
            if (
                not self.word_start
                or start == 0
                or not (lowered[start - 1].isalnum() or lowered[start - 1] == "_")
            ):
                return True
        return False


def _cue(pattern: str, weight: float) -> Cue:
    alternatives = _split_top(pattern, "|")
    # A leading \b stops Python's regex engine from scanning for the literal prefix, making a search
    # ~20x slower; so it is removed here and the boundary is checked on the (rare) matches instead.
    word_start = all(alternative.startswith("\\b") for alternative in alternatives)
    if word_start:
        pattern = "|".join(alternative[2:] for alternative in alternatives)
    return Cue(re.compile(pattern), weight, _gate(pattern), word_start)


@dataclass(frozen=True, slots=True)
class Patterns:
    complaint: tuple[Cue, ...]
    spam: tuple[Cue, ...]
    problem_noun: Cue
    question_start: re.Pattern[str]
    question: Cue
    feedback: Cue
    troll: Cue
    misinformation: Cue
    resolution: Cue
    help_request: Cue
    info_question: re.Pattern[str]
    complaint_question: Cue


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    """Every cue pattern, compiled on first use (compiling them at import would slow cold starts)."""
    return Patterns(
        complaint=tuple(_cue(pattern, weight) for pattern, weight in COMPLAINT_CUES.items()),
        spam=tuple(_cue(pattern, weight) for pattern, weight in SPAM_CUES.items()),
        problem_noun=_cue(PROBLEM_NOUNS, 1.0),
        question_start=re.compile(QUESTION_START),
        question=_cue(QUESTION_CUES, 1.0),
        feedback=_cue(FEEDBACK_CUES, 1.0),
        troll=_cue(TROLL_CUES, 1.0),
        misinformation=_cue(MISINFO_CUES, 1.0),
        resolution=_cue(RESOLUTION_CUES, 1.0),
        help_request=_cue(HELP_REQUEST, 1.0),
        info_question=re.compile(INFO_QUESTION),
        complaint_question=_cue(COMPLAINT_QUESTION, 1.0),
    )


EMOJI_VALENCE: dict[str, float] = {
    **dict.fromkeys("😀😃😄😁😆😊☺🙂😍🥰😘😻💕💖💗💓💞❤♥💙💚💛💜🧡🤍👍👏🙌🎉🥳✨🌟⭐💯🤩😎🤗👌💪", 2.0),
    # folded hands are "please" as often as "thank you"
    "🙏": 0.5,
    **dict.fromkeys("😂🤣😅😉😋😜😝", 1.0),
    # the upside-down face is the emoji of sarcasm and putting up with things
    "🙃": -1.5,
    **dict.fromkeys("😡😠🤬👎💩🙄😤😒😞😔😟😕🙁☹😣😖😫😩😢😭😿💔🤮🤢😷😰😱😨🤦🤷😑😐😬🖕", -2.0),
}
EMOTICONS: dict[str, float] = {
    ":)": 2.0,
    ":-)": 2.0,
    ":d": 2.3,
    ":-d": 2.3,
    "=)": 2.0,
    ";)": 1.0,
    ";-)": 1.0,
    ":p": 1.0,
    "<3": 2.5,
    ":(": -2.0,
    ":-(": -2.0,
    ":'(": -2.2,
    ":/": -1.2,
    ":-/": -1.2,
    ">:(": -2.5,
    ":|": -0.6,
    "d:": -1.6,
    ":@": -2.5,
    "-_-": -1.4,
}
