//go:build ignore

// gen_common_passwords writes common_passwords.txt, the list of common and
// breached passwords that the password policy rejects. Run it with
// `go generate ./internal/auth`.
//
// Provenance, honestly: the seed words below were written from memory of
// widely published rankings of the most used passwords (the top of the
// RockYou leak as ranked in public analyses, the SplashData and NordPass
// yearly "worst passwords" lists, the UK NCSC top of Have I Been Pwned's
// Pwned Passwords) and of well-known patterns (keyboard walks, digit runs,
// common first names, sports, pinyin phrases popular in China). It is not a
// verbatim copy of any list. The generator multiplies the seeds by the usual
// transformations people apply. The policy also strips digits and symbols
// around a password and undoes common letter substitutions before looking it
// up, so "P@ssw0rd2024!" is caught by the seed "password".
package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"
)

var seeds = strings.Fields(`
123456 password 123456789 12345678 12345 1234567 1234567890 qwerty abc123 111111 123123 admin letmein
welcome monkey login dragon football iloveyou master sunshine ashley bailey passw0rd shadow 123321
654321 superman qazwsx michael baseball trustno1 jennifer hunter buster soccer harley batman andrew
tigger charlie robert thomas hockey ranger daniel starwars klaster 112233 george computer michelle
jessica pepper zxcvbn 555555 11111111 131313 freedom 777777 pass maggie 159753 aaaaaa ginger princess
joshua cheese amanda summer love nicole chelsea biteme matthew access yankees 987654321 dallas austin
thunder taylor matrix minecraft william corvette hello martin heather secret merlin diamond 1234qwer
gfhjkm hammer silver 222222 88888888 anthony justin test bailey q1w2e3r4t5 patrick internet scooter
orange 11111 golfer cookie richard samantha bigdog guitar jackson whatever mickey chicken sparky
snoopy maverick phoenix camaro peanut morgan welcome1 falcon cowboy ferrari samsung andrea smokey
steelers joseph mercedes dakota arsenal eagles melissa boomer booboo spider nascar monster tigers
yellow xxxxxx 123123123 gateway marina diablo bulldog qwer1234 compaq purple hardcore banana junior
hannah 123654 porsche lakers iceman money cowboys 987654 london tennis 999999 ncc1701 coffee scooby
0000 miller boston q1w2e3r4 fuckoff brandon yamaha chester mother forever johnny edward 333333 oliver
redsox player nikita knight fender barney midnight please brandy chicago badboy iwantu slayer rangers
charles angel flower bigdaddy rabbit wizard bigdick jasper enter rachel chris steven winner adidas
victoria natasha 1q2w3e4r jasmine winter prince panties marine ghbdtn fishing cocacola casper james
232323 raiders 888888 marlboro gandalf asdfgh crystal 87654321 12344321 golden 8675309 blowme
mustang 666666 qwertyuiop 123qwe 1qaz2wsx 1q2w3e zaq12wsx qazxsw 1qazxsw2 asdfghjkl zxcvbnm asdf
asdf1234 qwe123 zxc123 a123456 123456a aa123456 abcd1234 abcdef abcdefg abcdefgh 1234abcd 1a2b3c4d
changeme default guest root administrator superuser manager support office system server backup
oracle mysql postgres database cisco router linux ubuntu windows apple google facebook twitter
yahoo hotmail gmail outlook microsoft iphone android mypass mypassword passwort motdepasse contrasena
senha parola wachtwoord haslo salasana losenord adgangskode jelszo heslo sifre lozinka
loveyou iloveu iloveyou1 lovely loveme babygirl baby angel1 sweet sweetie honey darling kisses
beautiful pretty friends family mommy daddy mother1 father sister brother forever1 together
happy smile sunshine1 rainbow butterfly flowers kitten kitty puppy doggie tiger lion eagle dolphin
horse pony unicorn dragon1 monkey1 pokemon pikachu naruto goku sasuke hello123 hellokitty barbie
spiderman ironman hulk thor avengers marvel batman1 superman1 joker harrypotter hogwarts gryffindor
frodo gandalf1 matrix1 neo trinity startrek starwars1 jedi yoda vader skywalker lucas
soccer1 football1 baseball1 basketball hockey1 golf tennis1 cricket rugby boxing karate ninja
liverpool chelsea1 arsenal1 manchester barcelona realmadrid juventus milan bayern celtic
yankees1 redsox1 lakers1 bulls celtics packers cowboys1 steelers1 patriots broncos
jordan jordan23 kobe lebron messi ronaldo beckham federer
michael1 daniel1 david robert1 john johnny1 james1 william1 richard1 joseph1 thomas1 charles1
christopher chris1 matthew1 anthony1 mark donald steven1 paul andrew1 joshua1 kenneth kevin brian
george1 edward1 ronald timothy jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry
justin1 scott brandon1 benjamin samuel gregory frank alexander alex raymond patrick1 jack dennis
jerry tyler aaron jose adam henry nathan douglas zachary peter kyle walter ethan jeremy harold
keith christian roger noah gerald carl terry sean austin1 arthur lawrence jesse dylan bryan joe
jordan1 billy bruce albert willie gabriel logan alan juan wayne roy ralph randy eugene vincent
russell elijah louis bobby philip
mary patricia jennifer1 linda elizabeth barbara susan jessica1 sarah karen nancy lisa betty margaret
sandra ashley1 kimberly emily donna michelle1 dorothy carol amanda1 melissa1 deborah stephanie
rebecca sharon laura cynthia kathleen amy shirley angela helen anna brenda pamela nicole1 emma
samantha1 katherine christine debra rachel1 catherine carolyn janet ruth maria heather1 diane
virginia julie joyce victoria1 olivia kelly christina lauren joan evelyn judith megan cheryl andrea1
hannah1 martha jacqueline frances gloria ann teresa kathryn sara janice jean alice madison doris
abigail julia judy grace denise amber marilyn beverly danielle theresa sophia marie diana brittany
natalie isabella charlotte rose alexis kayla
summer1 winter1 spring autumn january february march april may june july august september october
november december monday tuesday wednesday thursday friday saturday sunday
red blue green yellow1 black white purple1 orange1 silver1 golden1 pink
america usa canada england london1 paris berlin moscow tokyo beijing shanghai hongkong taiwan
china chinese zhongguo tibet uyghur xinjiang india mexico brazil france germany italy spain
australia newyork california texas florida chicago1 boston1 vegas
freedom1 liberty justice democracy peace truth humanrights human rights amnesty lawyer lawyers
attorney counsel defense defence court judge prison prisoner habeas habeascorpus corpus case
cases dossier evidence secure security privacy private confidential secret1 topsecret classified
freedomfighter tiananmen falungong dalailama liuxiaobo
woaini woaini1314 woaini520 aini1314 5201314 1314520 520520 521521 wode woshishui nihao
zhangwei wangwei wangfang liwei lina zhangmin liyang wangjing liuyang wangli zhangjing
qq123456 qq123 qq5201314 taobao baidu tencent weixin wechat alipay
123456qq 123456aa 112233aa 147258 147258369 159357 159753456 741852 741852963 963852741 258369
369258147 321654987 789456 789456123 456123 456789 123789 147852369 124578 135790 246810 1357924680
168168 888888888 666666666 5211314 1314521 7758521 7758258 584520 520131
00000000 000000 0000000000 11111111111 1111111111 121212 12121212 101010 202020 696969 112233445566
123454321 1234554321 12341234 123412341234 123123123123 1212121212 123321123 12345654321
aaaaaaaa abcabc abcabcabc qweqwe qweasd qweasdzxc asdasd asdqwe zxczxc 1qaz 2wsx 3edc 4rfv
qazwsxedc qazwsxedcrfv 1qaz2wsx3edc 1qaz2wsx3edc4rfv zaq1xsw2 xsw2zaq1 !qaz2wsx !qaz@wsx
1q2w3e4r5t 1q2w3e4r5t6y 1q2w3e4r5t6y7u 1q2w3e4r5t6y7u8i9o0p q1w2e3r4 q1w2e3r4t5y6 qwertyu qwertyui
qwertyuiopasdfghjkl qwertyuiopasdfghjklzxcvbnm asdfghjklzxcvbnm asdfghjkl; zxcvbnm,./ poiuytrewq
lkjhgfdsa mnbvcxz qwertz azerty azertyuiop ytrewq 0987654321 09876543 098765 1029384756
password1 password12 password123 password1234 passw0rd1 p@ssword p@ssw0rd pa55word pa$$word
passwd passwort1 password! pass123 pass1234 pass12345 mypassword1 newpassword oldpassword
letmein1 letmein123 welcome123 welcome12 admin123 admin1234 admin12345 administrator1 root123
toor qwerty123 qwerty1 qwerty12 qwerty1234 qwerty12345 qwertyuiop123 abc12345 abc123456
iloveyou2 iloveyou12 iloveyou123 trustno11 000000000000 123456789012 1234567890123 12345678901234
opensesame changeme1 temp temp123 temppass trial sample demo example testing test123 test1234
secret123 private1 hidden unknown nothing anything something everything whatever1 fuckyou
shit asshole bitch cunt pussy sex sexy hottie hotdog dick cock penis boobs
thx1138 ncc1701d hal9000 r2d2 c3po 007 bond007 jamesbond
correcthorsebatterystaple correcthorse batterystaple horsebatterystaple thequickbrownfox
thequickbrownfoxjumpsoverthelazydog loremipsum
iloveyoubaby iloveyousomuch iloveyouforever loveyouforever foreveryoung
`)

// suffixes people append; the policy strips digits and symbols, but these
// also make entries whose core is a new string.
var joiners = []string{"", "my", "the", "ilove", "iloveyou", "i love", "love", "super", "big", "mr", "miss"}
var tails = []string{"", "love", "baby", "boy", "girl", "man", "forever", "123", "2024", "2025", "2026", "password"}

func main() {
	set := map[string]bool{}
	add := func(s string) {
		s = strings.ToLower(strings.TrimSpace(s))
		if len(s) >= 4 {
			set[s] = true
		}
	}
	for _, w := range seeds {
		add(w)
		add(w + w)
		if len(w) <= 4 {
			add(w + w + w)
			add(w + w + w + w)
		}
		if isAlpha(w) {
			for _, j := range joiners {
				add(j + w)
			}
			for _, t := range tails {
				add(w + t)
			}
		}
	}
	// Digit runs and repeated digits of every length that reaches the minimum.
	for n := 12; n <= 20; n++ {
		for d := '0'; d <= '9'; d++ {
			add(strings.Repeat(string(d), n))
		}
		asc, desc := "", ""
		for i := 0; i < n; i++ {
			asc += fmt.Sprint((i + 1) % 10)
			desc += fmt.Sprint((9 - i%10 + 10) % 10)
		}
		add(asc)
		add(desc)
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	f, err := os.Create("common_passwords.txt")
	if err != nil {
		panic(err)
	}
	w := bufio.NewWriter(f)
	for _, s := range out {
		fmt.Fprintln(w, s)
	}
	if err := w.Flush(); err != nil {
		panic(err)
	}
	if err := f.Close(); err != nil {
		panic(err)
	}
	fmt.Println(len(out), "entries written to common_passwords.txt")
}

func isAlpha(s string) bool {
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}
