package synth

// Read-only tables used by the generator. Nothing in this file is mutated
// after package initialisation.

// weighted is one entry of a weighted pick list; w is a relative weight.
type weighted struct {
	code string
	w    int
}

// Provider error-code mixes for outbound ERROR rows (relative weights).
var (
	twilioCodes = []weighted{
		{"30007", 300}, // Message filtered (carrier spam filter)
		{"30003", 180}, // Unreachable destination handset
		{"30005", 120}, // Unknown destination handset
		{"30006", 120}, // Landline or unreachable carrier
		{"30008", 100}, // Unknown error
		{"21610", 60},  // Attempt to send to unsubscribed recipient
		{"30034", 40},  // Unregistered 10DLC number
		{"21211", 30},  // Invalid 'To' phone number
		{"30001", 20},  // Queue overflow
		{"30032", 10},  // Toll-free number not verified
	}
	telnyxCodes = []weighted{
		{"40002", 250}, // Blocked as spam
		{"40008", 200}, // Undeliverable
		{"40001", 150}, // Not routable
		{"40012", 80},  // Invalid destination number
		{"40300", 80},  // Blocked due to STOP message
		{"40006", 60},  // Recipient server unavailable
		{"40011", 50},  // Too many requests
	}
	bandwidthCodes = []weighted{
		{"4770", 300}, // Carrier rejected as SPAM
		{"4720", 150}, // Invalid destination
		{"4750", 120}, // Carrier rejected message
		{"9902", 100}, // Timed out at carrier
		{"4775", 80},  // Destination rejected: opted out (STOP)
		{"4781", 80},  // Destination unreachable / unavailable
		{"5620", 80},  // Carrier service failure
		{"4771", 50},  // Carrier rejected: spam-like content
		{"4700", 40},  // Invalid service type
	}
	// Codes Switchboard ("Assemble Numbers") writes itself on Spoke Rewired,
	// whatever the underlying carrier.
	switchboardCodes = []weighted{
		{"21610", 80}, // Blacklist (contact replied STOP; Telnyx 40300 is mapped here)
		{"63026", 30}, // SpamContent
		{"30001", 20}, // CouldNotSendInTime (send_before passed)
	}
	// Codes that do not belong to any provider list; readers must count them
	// as "unknown".
	unknownCodes = []string{"77777", "50999"}
)

// Outbound send_status mixes, in per-mille.
type statusWeight struct {
	s uint8
	w int
}

const (
	stDelivered uint8 = iota
	stError
	stSent
	stSending
	stQueued
	numStatuses
)

var statusNames = [numStatuses]string{"DELIVERED", "ERROR", "SENT", "SENDING", "QUEUED"}

var (
	// First messages and follow-ups older than 2 h before the export time.
	mixNormal = []statusWeight{{stDelivered, 790}, {stError, 100}, {stSent, 70}, {stSending, 20}, {stQueued, 20}}
	// Texter replies inside a conversation (the number is known to work).
	mixConvo = []statusWeight{{stDelivered, 920}, {stSent, 50}, {stError, 20}, {stSending, 5}, {stQueued, 5}}
	// Any outbound row created less than 2 h before the export time: delivery
	// reports have not all come back yet.
	mixRecent = []statusWeight{{stDelivered, 550}, {stSent, 300}, {stSending, 60}, {stQueued, 50}, {stError, 40}}
)

type texter struct {
	first, last, email, cell string
}

var texters = []texter{
	{"Sam", "Rivera", "sam.rivera@example.org", "+15555550140"},
	{"Kim", "Lee", "kim@example.org", "+15555550141"},
	{"Priya", "Patel", "priya.patel@example.org", "+15555550142"},
	{"Jordan", "O'Brien", "jordan.obrien@example.org", "+15555550143"},
	{"Alex", "Nguyen", "alex.nguyen@example.org", "+15555550144"},
	{"María", "García", "maria.garcia@example.org", "+15555550145"},
	{"Chris", "Johnson", "chris.j@example.org", "+15555550146"},
	{"Taylor", "Smith", "tsmith@example.org", "+15555550147"},
	{"Dana", "Williams", "dana.williams@example.org", "+15555550148"},
	{"Jamie", "Brown", "jamie.brown@example.org", "+15555550149"},
	{"Morgan", "D'Angelo", "morgan.dangelo@example.org", "+15555550150"},
	{"Casey", "Kim", "casey.kim@example.org", "+15555550151"},
	{"Riley", "Chen", "riley.chen@example.org", "+15555550152"},
	{"Avery", "Jackson", "avery.jackson@example.org", "+15555550153"},
	{"Drew", "Martinez", "drew.martinez@example.org", "+15555550154"},
	{"Pat", "Okafor", "pat.okafor@example.org", "+15555550155"},
}

var contactFirstNames = []string{
	"Jane", "Alex", "Pat", "Lee", "Chris", "Maria", "José", "Zoë", "Mary Ann", "DeShawn",
	"Linda", "Robert", "Patricia", "Michael", "Jennifer", "William", "Elizabeth", "David",
	"Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
	"Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Sandra", "Donald",
	"Ashley", "Steven", "Kimberly", "Paul", "Emily", "Andrew", "Donna", "Joshua", "Michelle",
	"Kenji", "Aaliyah", "Siobhan", "Nguyen", "Fatima",
}

// Area codes used for contact and sending numbers.
var areaCodes = []int64{
	217, 312, 773, 630, 608, 414, 614, 216, 313, 517,
	412, 215, 404, 678, 602, 480, 702, 919, 704, 336,
}

// Text templates. "{f}" is the contact's first name, "{t}" the texter's first
// name.
var initialScriptsSrc = []string{
	"Hi {f}, it's {t} with Example Org. Can we count on you to vote Nov 5? Find your polling place: https://bit.ly/3xYz9Ab",
	"Hey {f}! {t} here, a volunteer with Example PAC 🗳️ Early voting starts Saturday. Make a plan at www.Vote.org",
	"Hi {f}, this is {t}. We're hosting a \"Get Out The Vote\" canvass this weekend - can you join us? RSVP: example.org/e/1\nReply STOP to opt out",
	"Hi {f}, it's {t} with Example Org. Will you join us Saturday at 10am? Details: tinyurl.com/x8k2pq",
	"{f}, quick question from {t}: are you planning to vote early, by mail, or on Election Day?",
	"Hi {f}! My name is {t} and I'm a volunteer with Example Org. Election Day is Tuesday, and every vote in our district is going to matter this year. Can we count on you to vote? You can check your registration and find your polling place at https://bit.ly/reg-chk in about two minutes.",
	"Hi {f} this is {t} from Example Org. Are you registered at your current address? Check at www.Vote.org",
}

var followUpsSrc = []string{
	"Hi {f}, just following up - polls are open until 8pm tomorrow. Look up your polling place at https://bit.ly/3xYz9Ab. Thanks!",
	"Following up on my last text: can we count on your vote? Reply YES or NO",
	"Hey {f}, {t} again. Don't forget: early voting ends Sunday! tinyurl.com/x8k2pq",
}

var texterRepliesSrc = []string{
	"Thank you so much, {f}!",
	"Great! Here's the link to RSVP: example.org/e/1",
	"No problem, sorry to bother you. Have a good day!",
	"Thanks for letting me know, I'll update our records.",
	"Totally understand. If you have questions about voting, www.Vote.org has everything.",
	"Awesome 🎉 see you there!",
	"You can check your registration at https://bit.ly/reg-chk, it takes 2 minutes.",
	"Thanks! We'll see you there",
	"Your polling place is listed here: example.org/e/1\nDoors open at 7am.",
	"Sorry about that {f}, I'll remove you from our list.",
}

// Ordinary inbound replies, with their relative weights. They include
// commas, quotes, embedded newlines (LF and CRLF), emoji, pipes, apostrophes,
// leading and trailing spaces, and an empty body (an MMS photo).
type replyTmpl struct {
	text  string
	w     int
	media bool
}

var normalRepliesSrc = []replyTmpl{
	{"Yes", 80, false},
	{"yes!", 40, false},
	{"No", 50, false},
	{"Who is this?", 40, false},
	{"Wrong number", 30, false},
	{"Already voted 👍", 30, false},
	{"Sure, what time?", 30, false},
	{"I'll be there, thanks", 25, false},
	{"I'm in", 25, false},
	{"He said \"maybe\" - ask again later", 15, false},
	{"No thanks, I'm all set.", 25, false},
	{" yes, count me in ", 15, false},
	{"ok ", 20, false},
	{"  sure", 10, false},
	{"Can you send me the address?\nI lost the link", 15, false},
	{"Line 1 of my answer\r\nLine 2 of my answer", 5, false},
	{"Si", 10, false},
	{"¿Dónde voto?", 10, false},
	{"👍", 20, false},
	{"How did you get my number??", 20, false},
	{"Voted by mail already, thanks!", 20, false},
	{"Not interested", 25, false},
	{"I moved to Ohio last year so I'm not registered there anymore", 10, false},
	{"maybe | depends on work", 5, false},
	{"\"Yes\"", 5, false},
	{"Stop texting me", 10, false},
	{"Please remove me from this list", 10, false},
	{"Stopping by the office later", 5, false},
	{"stop sending me these", 4, false},
	{"", 8, true},
	{"Here's my ballot 📸", 6, true},
}

// Opt-out replies (all of them get -133 in the MoveOn lineage; the truth file
// classifies them by text).
var optOutRepliesSrc = []replyTmpl{
	{"STOP", 120, false},
	{"Stop", 60, false},
	{"stop", 60, false},
	{"stop.", 30, false},
	{"STOP!", 20, false},
	{" Stop ", 30, false},
	{"Unsubscribe", 25, false},
	{"unsubscribe ", 10, false},
	{"STOP ALL", 15, false},
	{"STOPALL", 8, false},
	{"Cancel", 10, false},
	{"END", 8, false},
	{"quit", 8, false},
	{"Revoke", 3, false},
	{"OPTOUT", 3, false},
	// Spoke Rewired's own triggers: opt-outs there, not carrier keywords.
	{"unsub", 6, false},
	{"Stop to quit", 4, false},
	{"stop2quit", 3, false},
}

// campaign variable columns of Spoke Rewired (v4.34.0+) and example values.
var campaignVarNames = []string{"event_link", "volunteer_shift"}

var campaignVarValues = [][]string{
	{"https://example.org/e/1", "example.org/e/2", "https://bit.ly/abc", "tinyurl.com/x"},
	{"Sat 10am | Sun 2pm", "Sat 9am", "Sun, 1pm-4pm", "Mon evening"},
}

// Header columns.
var (
	headerSV10 = []string{"campaign_contact_id", "campaign_id", "user_number", "contact_number", "is_from_contact", "send_status", "attempted_at", "text", "error_code"}
	headerMOv5 = []string{"assignmentId", "campaignId", "userNumber", "contactNumber", "isFromContact", "sendStatus", "attemptedAt", "text", "errorCode"}
	headerMOLg = []string{"assignmentId", "campaignId", "userNumber", "contactNumber", "isFromContact", "sendStatus", "attemptedAt", "text"}
	headerRW   = []string{"assignmentId", "userNumber", "contactNumber", "isFromContact", "numSegments", "numMedia", "sendStatus", "errorCodes", "attemptedAt", "text", "campaignId", "texter[firstName]", "texter[lastName]", "texter[email]", "texter[cell]"}
)

// optOutWords is the exact list used for the truth file's opt_out_replies.
var optOutWords = []string{"STOP", "STOPALL", "STOP ALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}

// Parsed templates.
var (
	initialScripts = parseAll(initialScriptsSrc)
	followUps      = parseAll(followUpsSrc)
	texterReplies  = parseAll(texterRepliesSrc)
	normalReplies  = parseReplies(normalRepliesSrc)
	optOutReplies  = parseReplies(optOutRepliesSrc)
)
