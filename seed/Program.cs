Console.WriteLine("seed: not implemented yet");
return 1;
