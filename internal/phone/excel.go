package phone

// excelDigits recognises the two ways Excel writes a phone number that it
// stored as a number: "15555550123.0" (any number of zeros after the point)
// and "1.5555550123E+10". isNumber reports that t has one of those shapes,
// so that the caller does not read the point as a separator; digits is nil
// when the shape is right but the value is not a whole number of at most 15
// digits, or digits were lost to rounding.
func excelDigits(t string, buf *digitBuf) (digits []byte, isNumber bool) {
	intPart, frac, exp, ok := splitNumber(t)
	switch {
	case !ok:
		return nil, false
	case exp == "" && frac != "":
		if !allZeros(frac) || len(intPart) > maxDigits {
			return nil, true
		}
		return buf[:copy(buf[:], intPart)], true
	case exp != "":
		return scientificDigits(intPart, frac, exp, buf), true
	}
	return nil, false // plain digits: not an Excel shape
}

// scientificDigits expands d.ddddE+x when the mantissa has exactly x digits
// after the point, that is when no digit was rounded away.
func scientificDigits(intPart, frac, exp string, buf *digitBuf) []byte {
	if len(intPart) != 1 || intPart[0] == '0' || len(exp) > 2 {
		return nil
	}
	if e := exponent(exp); e != len(frac) || e+1 > maxDigits {
		return nil
	}
	buf[0] = intPart[0]
	return buf[:1+copy(buf[1:], frac)]
}

// splitNumber splits digits[.digits][(E|e)[+]digits] into its parts; ok is
// false for anything else.
func splitNumber(t string) (intPart, frac, exp string, ok bool) {
	intPart, t = leadingDigits(t)
	if intPart == "" {
		return "", "", "", false
	}
	if t != "" && t[0] == '.' {
		frac, t = leadingDigits(t[1:])
		if frac == "" {
			return "", "", "", false
		}
	}
	if t != "" && (t[0] == 'E' || t[0] == 'e') {
		t = t[1:]
		if t != "" && t[0] == '+' {
			t = t[1:]
		}
		exp, t = leadingDigits(t)
		if exp == "" {
			return "", "", "", false
		}
	}
	return intPart, frac, exp, t == ""
}

// exponent converts the digits of a short exponent (the caller checks that
// it has at most two) to a number.
func exponent(exp string) int {
	e := 0
	for i := 0; i < len(exp); i++ {
		e = e*10 + int(exp[i]-'0')
	}
	return e
}

func leadingDigits(t string) (digits, rest string) {
	i := 0
	for i < len(t) && isDigit(t[i]) {
		i++
	}
	return t[:i], t[i:]
}

func allZeros(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '0' {
			return false
		}
	}
	return true
}
