package half

func Shown() {}

func Silent() {}

type T struct{}

func (T) M() {}

func NewT() T { return T{} }
