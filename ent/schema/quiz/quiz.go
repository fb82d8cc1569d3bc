// Package quiz is a course's short quiz: its questions, and the score a
// set of answers makes. It lives beside the schema because a Course field
// is made of it.
package quiz

// Question is one question; Answer is the index of the right option, which
// only market reads.
type Question struct {
	Prompt  string   `json:"prompt"`
	Options []string `json:"options"`
	Answer  int      `json:"answer"`
}

// Score is the share of answers that are right, in percent, rounded down:
// answers[i] answers questions[i].
func Score(questions []Question, answers []int) int {
	if len(questions) == 0 {
		return 0
	}
	right := 0
	for i, q := range questions {
		if i < len(answers) && answers[i] == q.Answer {
			right++
		}
	}
	return right * 100 / len(questions)
}
